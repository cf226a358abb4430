//! Rendering benchmark of the live meeting (issue #8): start to first
//! frame, key-to-frame latency and peak memory, on a large panel.
//!
//!     scripts/bench-tui.sh            # builds the database, then runs this
//!
//! or, on a database already holding an imported return:
//!
//!     PERMANENCE_PANEL_BENCH_DB=panel.db cargo bench --bench tui_render
//!
//! The database gets (once) the preset's members, a meeting on 27/11/2026
//! with a 200-child agenda, and 20,000 actions, all written through the
//! store. A benchmark, not a test: it prints figures and the targets
//! (first frame < 200 ms, p99 key-to-frame < 5 ms, peak RSS < 100 MB) and
//! never fails on them.
//!
//! First, and without any database (`cargo bench --bench tui_render`): a
//! 100,000-character text pasted into a decision, to the frame that shows
//! it (target < 1 s), and the frames after it while the text is held.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveTime};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use permanence_panel::clock::{Clock, FixedClock};
use permanence_panel::store::{NewAction, NewMember, Store};
use permanence_panel::terms::Terms;
use permanence_panel::tui::{self, App, apply, message_for, update, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const AGENDA_CHILDREN: usize = 200;
const ACTIONS: usize = 20_000;
const KEY_PRESSES: usize = 2_000;
const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;

fn meeting_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default()
}

fn clock() -> FixedClock {
    FixedClock(meeting_day().and_time(NaiveTime::from_hms_opt(9, 45, 0).unwrap_or_default()))
}

fn main() -> anyhow::Result<()> {
    paste_benchmark()?;
    let Some(path) = std::env::var_os("PERMANENCE_PANEL_BENCH_DB").map(PathBuf::from) else {
        eprintln!(
            "tui_render: set PERMANENCE_PANEL_BENCH_DB to a database with an imported return, \
             or run scripts/bench-tui.sh, which builds one of 100,000 children."
        );
        return Ok(());
    };
    prepare(&path)?;

    // Start to first frame, five times: the first with the file's pages
    // perhaps still on disk, the others from the page cache.
    let mut starts = Vec::new();
    let mut kept = None;
    for _ in 0..5 {
        let started = Instant::now();
        let store = Store::open(&path)?;
        let app = tui::load(&store, Terms::load("wiltshire")?, &clock())?;
        let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT))?;
        terminal.draw(|frame| view(&app, frame))?;
        starts.push(started.elapsed());
        kept = Some((store, app, terminal));
    }
    let Some((mut store, mut app, mut terminal)) = kept else {
        return Ok(());
    };
    println!(
        "start to first frame ({WIDTH}x{HEIGHT}): {} (first {}, target < 200 ms)",
        list(&starts),
        ms(starts[0])
    );

    // Key to frame: update, the store write it asks for, and a frame.
    let keys = key_tour();
    let mut latencies = Vec::with_capacity(KEY_PRESSES);
    let mut by_screen: std::collections::BTreeMap<&'static str, Vec<Duration>> = Default::default();
    for i in 0..KEY_PRESSES {
        let key = keys[i % keys.len()];
        let screen = app.screen.title();
        let started = Instant::now();
        press(&mut app, &mut store, key);
        terminal.draw(|frame| view(&app, frame))?;
        let took = started.elapsed();
        latencies.push(took);
        by_screen.entry(screen).or_default().push(took);
    }
    latencies.sort();
    println!(
        "key to frame over {KEY_PRESSES} keys: p50 {}  p99 {}  max {} (target p99 < 5 ms)",
        ms(percentile(&latencies, 50)),
        ms(percentile(&latencies, 99)),
        ms(latencies[latencies.len() - 1])
    );
    for (screen, mut times) in by_screen {
        times.sort();
        println!(
            "  from {screen:<12} {:>5} keys  p50 {}  p99 {}",
            times.len(),
            ms(percentile(&times, 50)),
            ms(percentile(&times, 99))
        );
    }
    println!(
        "peak resident memory (VmHWM): {} (target < 100 MB)",
        peak_rss().unwrap_or_else(|| "unknown".into())
    );
    Ok(())
}

/// A 100,000-character paste (lines of a report, with line breaks) into
/// the decision of a one-child meeting in an in-memory store: the paste's
/// `update` and the frame after it, then keys typed after it, each with
/// its frame.
fn paste_benchmark() -> anyhow::Result<()> {
    const PASTED_CHARS: usize = 100_000;
    let mut store = Store::open_in_memory()?;
    let at = clock().now();
    let start = NaiveTime::from_hms_opt(9, 30, 0).unwrap_or_default();
    let end = NaiveTime::from_hms_opt(13, 0, 0).unwrap_or_default();
    let meeting = store.add_meeting(meeting_day(), start, end, at)?;
    let reasons = vec!["In the same foster placement for 12 months or more.".to_owned()];
    store.set_agenda(
        meeting,
        &[("C000001".into(), "foster-12m".into(), reasons)],
        at,
    )?;
    let mut app = tui::load(&store, Terms::load("wiltshire")?, &clock())?;
    for key in [KeyCode::Char('g'), KeyCode::Enter, KeyCode::Char('d')] {
        press(&mut app, &mut store, KeyEvent::new(key, KeyModifiers::NONE));
    }
    let line = "The panel endorsed the plan for long-term fostering with the current carers. ";
    let mut text = String::new();
    while text.chars().count() < PASTED_CHARS {
        text.push_str(line);
        text.push_str("\r\n");
    }
    let text: String = text.chars().take(PASTED_CHARS).collect();
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT))?;
    let started = Instant::now();
    let effects = update(&mut app, tui::Msg::Paste(text));
    apply(effects, &mut store, &mut app, clock().now());
    terminal.draw(|frame| view(&app, frame))?;
    let pasted = started.elapsed();
    let mut after = Vec::new();
    for _ in 0..50 {
        let started = Instant::now();
        press(
            &mut app,
            &mut store,
            KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE),
        );
        terminal.draw(|frame| view(&app, frame))?;
        after.push(started.elapsed());
    }
    after.sort();
    println!(
        "paste of {PASTED_CHARS} characters into the decision, to its frame: {} (target < 1 s); \
         keys typed after it, to their frame: p50 {} p99 {}",
        ms(pasted),
        ms(percentile(&after, 50)),
        ms(percentile(&after, 99))
    );
    Ok(())
}

fn press(app: &mut App, store: &mut Store, key: KeyEvent) {
    if let Some(msg) = message_for(app, key) {
        let effects = update(app, msg);
        apply(effects, store, app, clock().now());
    }
}

/// A meeting's worth of keys over every screen: the roll call (marks are
/// writes), the agenda and cards stepping through children (each step is
/// a write), the action list with its filters, the members, and help.
fn key_tour() -> Vec<KeyEvent> {
    let k = |code| KeyEvent::new(code, KeyModifiers::NONE);
    let c = |ch| k(KeyCode::Char(ch));
    let mut tour = vec![c('r')];
    for _ in 0..6 {
        tour.extend([c('p'), k(KeyCode::Down)]);
    }
    tour.extend([k(KeyCode::Esc), c('g')]);
    tour.extend(std::iter::repeat_n(c('j'), 20));
    tour.push(k(KeyCode::Enter));
    tour.extend(std::iter::repeat_n(c('n'), 10));
    tour.extend(std::iter::repeat_n(c('p'), 5));
    tour.extend([c('a'), k(KeyCode::Esc), k(KeyCode::Esc), c('l')]);
    tour.extend(std::iter::repeat_n(c('j'), 15));
    tour.extend([c('f'), c('f'), c('o'), c('o'), c('f'), c('f'), c('f')]);
    tour.extend([
        c('m'),
        k(KeyCode::Down),
        k(KeyCode::Down),
        c('?'),
        k(KeyCode::Down),
    ]);
    tour.extend([c('?'), c('h'), c('g')]);
    tour.extend(std::iter::repeat_n(c('k'), 20));
    tour.push(c('h'));
    tour
}

/// Adds the panel's members, the meeting, its agenda and the actions, once.
fn prepare(path: &std::path::Path) -> anyhow::Result<()> {
    let mut store = Store::open(path)?;
    let day = meeting_day();
    if store.meeting_on(day)?.is_some() {
        return Ok(());
    }
    let at = clock().now();
    let terms = Terms::load("wiltshire")?;
    // `init` may have added them already.
    let roles = if store.members()?.is_empty() {
        terms.roles.as_slice()
    } else {
        &[]
    };
    for role in roles {
        let member = NewMember {
            role: role.id.clone(),
            job_title: role.job_title.clone(),
            name: None,
            kind: role.kind,
            substitute_for: None,
        };
        store.add_member(&member, at)?;
    }
    let start = NaiveTime::from_hms_opt(9, 30, 0).unwrap_or_default();
    let end = NaiveTime::from_hms_opt(13, 0, 0).unwrap_or_default();
    let meeting = store.add_meeting(day, start, end, at)?;
    let mut children = Vec::new();
    store.for_each_child_record(|record| {
        children.push(record.child.id);
        Ok(())
    })?;
    anyhow::ensure!(
        children.len() >= AGENDA_CHILDREN,
        "the database holds {} children; import a return first",
        children.len()
    );
    let items: Vec<(String, String, Vec<String>)> = children
        .iter()
        .take(AGENDA_CHILDREN)
        .map(|child| {
            (
                child.clone(),
                "foster-12m".to_owned(),
                vec!["In the same foster placement for 12 months or more.".to_owned()],
            )
        })
        .collect();
    store.set_agenda(meeting, &items, at)?;
    let owners: Vec<String> = terms.roles.iter().map(|r| r.job_title.clone()).collect();
    eprintln!("tui_render: writing {ACTIONS} actions through the store (once) ...");
    for i in 0..ACTIONS {
        // A tenth on agenda children, the rest spread over the return.
        let child = if i % 10 == 0 {
            &children[i / 10 % AGENDA_CHILDREN]
        } else {
            &children[i % children.len()]
        };
        let action = NewAction {
            meeting,
            child: child.clone(),
            text: format!("Synthetic action {i}: review the placement plan"),
            owner: owners[i % owners.len()].clone(),
            deadline: day + chrono::Duration::days((i % 120) as i64),
        };
        store.add_action(&action, at)?;
    }
    Ok(())
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    let index = (sorted.len() * p).div_ceil(100).saturating_sub(1);
    sorted.get(index).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn list(times: &[Duration]) -> String {
    times.iter().map(|t| ms(*t)).collect::<Vec<_>>().join(", ")
}

/// VmHWM of this process, from /proc (Linux only).
fn peak_rss() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(format!("{:.1} MB", kb / 1024.0))
}
