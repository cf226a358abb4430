//! Issue #8: the terminal can be resized at any moment, down to 80x24,
//! without a broken frame: the real binary in tmux, the window resized on
//! each screen of a meeting, the whole frame read back each time.

use std::time::{Duration, Instant};

use crate::common::tmux::{self, Tmux, binary};

/// The frame after a resize to `width`x`height` is whole: the title on the
/// first line, the footer on the last, no line wider than the window, and
/// `expect` (what the screen is about) still on it.
fn assert_whole_frame(t: &Tmux, width: u16, height: u16, expect: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let screen = t.screen();
        let lines: Vec<&str> = screen.lines().collect();
        let last = lines
            .iter()
            .rev()
            .find(|l| !l.trim().is_empty())
            .copied()
            .unwrap_or("");
        let whole = lines.len() <= usize::from(height)
            && lines
                .first()
                .is_some_and(|l| l.starts_with(" Permanence Panel"))
            && (last.contains("help") || last.contains("F1"))
            && lines
                .iter()
                .all(|l| l.chars().count() <= usize::from(width))
            && screen.contains(expect);
        if whole {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "a broken frame at {width}x{height} (expected {expect:?}):\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn every_screen_of_a_meeting_survives_resizing_down_to_80x24() {
    let Some((_dir, db)) = tmux::demo_panel() else {
        return;
    };
    let db_text = db.to_str().expect("a UTF-8 temp path");
    let t = Tmux::start("resize", 120, 40, binary(), &["--db", db_text]);
    t.wait_for("Next meeting");

    // (keys to reach the screen, a text the screen shows at any size)
    let steps: &[(&[&str], &str)] = &[
        (&[], "Next meeting"),
        (&["r"], "Roll call"),
        (&["Escape", "g"], "Agenda"),
        (&["Enter"], "Child card"),
        (&["d"], "Decision"),
        (&["Escape", "a"], "Actions"),
        (&["Escape", "M"], "Matters arising"),
        (&["Escape", "l"], "Action list"),
        (&["Escape", "m"], "Members"),
    ];
    for (keys, title) in steps {
        t.keys(keys);
        t.wait_for(title);
        for (width, height) in [(80, 24), (120, 40), (100, 30), (80, 24)] {
            t.resize(width, height);
            assert_whole_frame(&t, width, height, title);
        }
        // Smaller than the app can draw: it says so instead of a torn frame,
        // and the next size up brings the screen back.
        t.resize(60, 20);
        t.wait_for("80x24");
        t.resize(80, 24);
        assert_whole_frame(&t, 80, 24, title);
        t.resize(120, 40);
    }
    t.keys(&["Escape", "q"]);
    t.wait_exit();
}
