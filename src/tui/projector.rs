//! Projector mode: the screen is shown to the room. A child is shown by
//! their id and, when a name is held, its initials only, never the full
//! name; nothing the administrator keeps for themselves is drawn.

use super::app::App;

/// How a child is named on screen: the id always; with a name, the name
/// beside it on the administrator's own screen and only its initials on a
/// projector.
pub fn child_label(id: &str, name: Option<&str>, projector: bool) -> String {
    match name.map(str::trim).filter(|n| !n.is_empty()) {
        None => id.to_owned(),
        Some(name) if projector => {
            let initials = initials(name);
            if initials.is_empty() {
                id.to_owned()
            } else {
                format!("{initials} {id}")
            }
        }
        Some(name) => format!("{name} {id}"),
    }
}

/// The first letter of each part of a name, upper case: "Ada Lovelace-King"
/// gives "ALK"; punctuation alone gives nothing.
pub fn initials(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == '-')
        .filter_map(|part| part.chars().find(|c| c.is_alphabetic()))
        .flat_map(char::to_uppercase)
        .collect()
}

impl App {
    /// The child as this screen may show them.
    pub fn child_label(&self, id: &str) -> String {
        child_label(id, self.child_name(id), self.projector)
    }

    /// The child's name, when the store holds one. The SSDA903 return
    /// carries no names, so today there is none; a name held later shows
    /// here, and `child_label` keeps it off the projector.
    pub fn child_name(&self, _id: &str) -> Option<&str> {
        None
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
}
