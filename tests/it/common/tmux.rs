//! Drives the real binary in a tmux window, as a person at a terminal would:
//! send keys, read the screen.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

/// The program under test.
pub fn binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_permanence-panel"))
}

pub use super::cli::demo_db;

/// A demo panel in a folder of its own, for a test that drives the app in
/// tmux; `None` where tmux is not installed (the test says it is skipped;
/// on CI `available` fails it instead). Keep the folder while the test runs.
pub fn demo_panel() -> Option<(tempfile::TempDir, PathBuf)> {
    if !available() {
        eprintln!("tmux not installed; skipped (CI installs it)");
        return None;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    Some((dir, db))
}

/// Whether tmux can be used. On CI (`CI=true`) it must be: `.ci/run`
/// installs it, so its absence there is a failure, not a skip.
pub fn available() -> bool {
    let found = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found && std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("tmux is required on CI for the end-to-end tests");
    }
    found
}

/// One tmux session on its own server socket, killed when dropped.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// Starts `program args...` in a detached window of `width`x`height`.
    pub fn start(name: &str, width: u16, height: u16, program: &Path, args: &[&str]) -> Tmux {
        let socket = format!("pp-e2e-{name}-{}", std::process::id());
        let mut cmd = Command::new("tmux");
        cmd.args(["-L", &socket, "-f", "/dev/null", "new-session", "-d"])
            .args(["-x", &width.to_string(), "-y", &height.to_string()])
            .args(["-s", name])
            .arg("-e")
            .arg("TERM=xterm-256color")
            .arg("--")
            .arg(program)
            .args(args);
        let status = cmd.status().expect("tmux starts");
        assert!(status.success(), "tmux new-session failed");
        // Keep the pane after the program exits so its last screen can be read.
        let _ = Command::new("tmux")
            .args(["-L", &socket, "set-option", "-g", "remain-on-exit", "on"])
            .status();
        Tmux { socket }
    }

    fn tmux(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux runs")
    }

    /// Sends keys by tmux name (`Enter`, `Escape`, `Down`, `C-c`) or literal text.
    pub fn keys(&self, keys: &[&str]) {
        for key in keys {
            let out = self.tmux(&["send-keys", "-t", "0", key]);
            assert!(out.status.success(), "send-keys {key}: {out:?}");
            // The app redraws after each event; a short pause keeps the
            // order of keys and screens as a person would see it.
            sleep(Duration::from_millis(60));
        }
    }

    /// Types text literally (no key-name lookup).
    pub fn type_text(&self, text: &str) {
        let out = self.tmux(&["send-keys", "-t", "0", "-l", text]);
        assert!(out.status.success(), "send-keys -l: {out:?}");
        sleep(Duration::from_millis(60));
    }

    /// Pastes text as a terminal does with bracketed paste on (tmux's
    /// `paste-buffer -p` brackets it only when the program asked for it).
    pub fn paste(&self, text: &str) {
        let out = self.tmux(&["set-buffer", "--", text]);
        assert!(out.status.success(), "set-buffer: {out:?}");
        let out = self.tmux(&["paste-buffer", "-p", "-d", "-t", "0"]);
        assert!(out.status.success(), "paste-buffer: {out:?}");
        sleep(Duration::from_millis(60));
    }

    /// A left click at a cell (0-based column and row), sent as the bytes
    /// an xterm sends in SGR mouse mode (press, then release): tmux's own
    /// mouse handling is bypassed, the program reads what a terminal sends.
    pub fn click(&self, column: u16, row: u16) {
        for end in ['M', 'm'] {
            let sequence = format!("\x1b[<0;{};{}{end}", column + 1, row + 1);
            let hex: Vec<String> = sequence.bytes().map(|b| format!("{b:02x}")).collect();
            let mut args = vec!["send-keys", "-t", "0", "-H"];
            args.extend(hex.iter().map(String::as_str));
            let out = self.tmux(&args);
            assert!(out.status.success(), "send-keys -H: {out:?}");
        }
        sleep(Duration::from_millis(60));
    }

    /// Clicks the lowest place the screen shows `text`, once it shows it:
    /// the footer's entry rather than the same words in a screen's hint.
    pub fn click_on(&self, text: &str) {
        let screen = self.wait_for(text);
        for (row, line) in screen
            .lines()
            .enumerate()
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
        {
            if let Some(at) = line.find(text) {
                let column = line[..at].chars().count();
                self.click(column as u16, row as u16);
                return;
            }
        }
    }

    /// A tmux format of the pane (e.g. `#{mouse_any_flag}`: whether the
    /// program asked for mouse reports).
    pub fn pane_format(&self, format: &str) -> String {
        let out = self.tmux(&["display-message", "-p", "-t", "0", format]);
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// Resizes the window, as a user dragging the terminal's corner does.
    pub fn resize(&self, width: u16, height: u16) {
        let out = self.tmux(&[
            "resize-window",
            "-t",
            "0",
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
        ]);
        assert!(out.status.success(), "tmux resize-window failed");
    }

    /// The screen as text.
    pub fn screen(&self) -> String {
        let out = self.tmux(&["capture-pane", "-p", "-t", "0"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen shows `text`, and returns the screen.
    pub fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("the screen never showed {text:?}; it shows:\n{screen}");
            }
            sleep(Duration::from_millis(100));
        }
    }

    /// Whether the program in the window has exited.
    pub fn exited(&self) -> bool {
        let out = self.tmux(&["display-message", "-p", "-t", "0", "#{pane_dead}"]);
        String::from_utf8_lossy(&out.stdout).trim() == "1"
    }

    /// SIGKILLs the program, as a laptop losing power would stop it: no
    /// destructor, no terminal restore, no last write.
    pub fn kill_program(&self) {
        let out = self.tmux(&["display-message", "-p", "-t", "0", "#{pane_pid}"]);
        let pid = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        assert!(!pid.is_empty(), "no pane pid");
        let status = Command::new("kill")
            .args(["-KILL", &pid])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -KILL {pid} failed");
        self.wait_exit();
    }

    /// Waits for the program to exit.
    pub fn wait_exit(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.exited() {
            if Instant::now() > deadline {
                panic!("the app did not exit; the screen shows:\n{}", self.screen());
            }
            sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}
