//! Projector mode: the screen is shown to the room. A child is shown by
//! their id and, when a name is held, its initials only, never the full
//! name; nothing the administrator keeps for themselves is drawn.

use super::app::App;
use crate::store::initials_of;

/// How a child is named on screen: the id always; with a name, the name
/// beside it on the administrator's own screen and only its initials on a
/// projector.
pub fn child_label(id: &str, name: Option<&str>, projector: bool) -> String {
    match name.map(str::trim).filter(|n| !n.is_empty()) {
        None => id.to_owned(),
        Some(name) if projector => {
            let initials = initials_of(name);
            if initials.is_empty() {
                id.to_owned()
            } else {
                format!("{initials} {id}")
            }
        }
        Some(name) => format!("{name} {id}"),
    }
}

impl App {
    /// The child as this screen may show them: the full name (or, failing
    /// one, the initials) on the administrator's own screen; only the
    /// initials on a projector or the presenter view, which others see.
    pub fn child_label(&self, id: &str) -> String {
        let Some(name) = self.data.child_names.get(id) else {
            return id.to_owned();
        };
        let shared = self.projector || self.presenter;
        match name.full_name.as_deref() {
            Some(full) if !shared => child_label(id, Some(full), false),
            _ if name.initials.is_empty() => id.to_owned(),
            _ => format!("{} {id}", name.initials),
        }
    }

    /// The child's full name, when the store holds one.
    pub fn child_name(&self, id: &str) -> Option<&str> {
        self.data.child_names.get(id)?.full_name.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_projector_shows_initials_and_id_never_the_name() {
        let label = child_label("C000101", Some("Ada Lovelace-King"), true);
        assert_eq!(label, "ALK C000101");
        assert!(!label.contains("Ada"));
        assert_eq!(
            child_label("C000101", Some("Ada Lovelace-King"), false),
            "Ada Lovelace-King C000101"
        );
    }

    #[test]
    fn without_a_name_the_id_alone_shows_everywhere() {
        for projector in [true, false] {
            assert_eq!(child_label("C000101", None, projector), "C000101");
            assert_eq!(child_label("C000101", Some("  "), projector), "C000101");
        }
        assert_eq!(child_label("C000101", Some("-- !"), true), "C000101");
    }

    fn app_with_names() -> App {
        let terms = crate::terms::Terms::load("wiltshire").expect("preset");
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
        let mut app = App::new(terms, super::super::MeetingData::default(), today);
        let named = crate::store::ChildName::from_full_name("Amber Birch").expect("a name");
        app.data.child_names.insert("C000001".into(), named);
        let initials_only = crate::store::ChildName {
            full_name: None,
            initials: "RT".into(),
        };
        app.data.child_names.insert("C000002".into(), initials_only);
        app
    }

    #[test]
    fn the_administrators_screen_names_the_child_and_the_room_sees_initials() {
        let mut app = app_with_names();
        assert_eq!(app.child_label("C000001"), "Amber Birch C000001");
        assert_eq!(app.child_label("C000002"), "RT C000002");
        assert_eq!(app.child_label("C000003"), "C000003", "no name held");
        app.projector = true;
        assert_eq!(app.child_label("C000001"), "AB C000001");
        app.projector = false;
        app.presenter = true;
        assert_eq!(app.child_label("C000001"), "AB C000001");
        assert_eq!(app.child_name("C000001"), Some("Amber Birch"));
    }
}
