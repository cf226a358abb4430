//! Children's histories for tests that need them in a store: built with
//! panel-core's testkit (rows that read like the return), written here.

use permanence_panel::model::ChildRecord;
use permanence_panel::store::ExtractImport;

/// Writes `record` (child, episodes, reviews) into an extract being imported.
pub fn insert_history(import: &mut ExtractImport<'_>, record: &ChildRecord) {
    import.insert_child(&record.child).expect("child");
    for e in &record.episodes {
        import.insert_episode(e).expect("episode");
    }
    for r in &record.reviews {
        import.insert_review(r).expect("review");
    }
}
