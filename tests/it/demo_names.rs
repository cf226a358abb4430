//! The demo panel's children have seeded, made-up names (never real data),
//! the same in every demo.

use permanence_panel::store::Store;

use crate::common::cli::demo_db;

fn demo_names(dir: &std::path::Path) -> Vec<(String, Option<String>, String)> {
    let db = demo_db(dir);
    let store = Store::open(&db).expect("open");
    let mut names: Vec<_> = store
        .child_names()
        .expect("names")
        .into_iter()
        .map(|(id, n)| (id, n.full_name, n.initials))
        .collect();
    names.sort();
    assert_eq!(names.len() as i64, store.child_count().expect("count"));
    names
}

#[test]
fn every_demo_child_has_the_same_synthetic_name_each_time() {
    let (a, b) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let first = demo_names(a.path());
    assert!(!first.is_empty());
    assert_eq!(first, demo_names(b.path()));
    for (id, full, initials) in &first {
        let full = full.as_deref().expect("a full name");
        let expected: String = full.split(' ').filter_map(|w| w.chars().next()).collect();
        assert_eq!(initials, &expected, "{id}: {full}");
    }
}
