//! The app's colours, in one place: no view names a colour.
//!
//! The default palette is safe for colour blindness: it draws on the
//! Okabe-Ito colours (blue for "all is well", orange for "look at this")
//! and never lets colour alone carry a meaning: every warning also says it
//! in words ("NOT QUORATE", "flagged", "overdue") or a symbol. The
//! high-contrast theme is for projectors in bright rooms and low vision:
//! white and yellow on black, warnings in reverse video. `NO_COLOR`
//! (<https://no-color.org>) removes every colour and keeps bold and reverse.

use ratatui::style::{Color, Modifier, Style};

/// The themes the app offers (`--theme`, and `t` cycles them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThemeName {
    #[default]
    Default,
    HighContrast,
}

impl ThemeName {
    pub const ALL: [ThemeName; 2] = [ThemeName::Default, ThemeName::HighContrast];

    /// The name as written on the command line.
    pub fn id(self) -> &'static str {
        match self {
            ThemeName::Default => "default",
            ThemeName::HighContrast => "high-contrast",
        }
    }

    pub fn parse(text: &str) -> Option<ThemeName> {
        ThemeName::ALL.into_iter().find(|t| t.id() == text.trim())
    }

    pub fn next(self) -> ThemeName {
        match self {
            ThemeName::Default => ThemeName::HighContrast,
            ThemeName::HighContrast => ThemeName::Default,
        }
    }
}

/// The theme named on the command line (`--theme`), for the app to start in.
static CHOSEN_AT_START: std::sync::OnceLock<ThemeName> = std::sync::OnceLock::new();

/// Records the `--theme` flag; the first call wins.
pub fn choose_at_start(name: ThemeName) {
    let _ = CHOSEN_AT_START.set(name);
}

/// The theme the app starts in: `--theme`, else the default.
pub fn chosen_at_start() -> ThemeName {
    CHOSEN_AT_START.get().copied().unwrap_or_default()
}

/// Okabe-Ito blue (#0072B2) as the nearest of the 256 indexed colours,
/// which every terminal the app supports can show.
const OKABE_ITO_BLUE: Color = Color::Indexed(25);
/// Okabe-Ito orange (#E69F00) in the 256 colours.
const OKABE_ITO_ORANGE: Color = Color::Indexed(214);
/// Okabe-Ito vermillion (#D55E00) in the 256 colours, for what is late.
const OKABE_ITO_VERMILLION: Color = Color::Indexed(166);
/// Okabe-Ito sky blue (#56B4E9) in the 256 colours, for titles.
const OKABE_ITO_SKY: Color = Color::Indexed(74);

/// The styles the views draw with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub name: ThemeName,
    pub no_color: bool,
}

impl Theme {
    pub fn new(no_color: bool) -> Theme {
        Theme {
            name: ThemeName::Default,
            no_color,
        }
    }

    pub fn named(name: ThemeName, no_color: bool) -> Theme {
        Theme { name, no_color }
    }

    fn high_contrast(&self) -> bool {
        self.name == ThemeName::HighContrast
    }

    /// The whole screen's ground: black in high contrast, the terminal's
    /// own otherwise.
    pub fn base(&self) -> Style {
        if self.high_contrast() && !self.no_color {
            Style::new().fg(Color::White).bg(Color::Black)
        } else {
            Style::new()
        }
    }

    pub fn title(&self) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD);
        match (self.no_color, self.name) {
            (true, _) => s,
            (false, ThemeName::Default) => s.fg(OKABE_ITO_SKY),
            (false, ThemeName::HighContrast) => s.fg(Color::LightYellow).bg(Color::Black),
        }
    }

    /// The highlighted row: reverse video whether or not colour is allowed.
    pub fn highlight(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    pub fn bold(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// Something to act on: always bold, and worded by the view.
    pub fn warn(&self) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD);
        match (self.no_color, self.name) {
            (true, _) => s,
            (false, ThemeName::Default) => s.fg(OKABE_ITO_ORANGE),
            (false, ThemeName::HighContrast) => s.fg(Color::Black).bg(Color::LightYellow),
        }
    }

    /// Late: stronger than a warning (Okabe-Ito vermillion, underlined),
    /// and always said in words by the view too.
    pub fn late(&self) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
        match (self.no_color, self.name) {
            (true, _) => s,
            (false, ThemeName::Default) => s.fg(OKABE_ITO_VERMILLION),
            (false, ThemeName::HighContrast) => s.fg(Color::Black).bg(Color::LightYellow),
        }
    }

    /// All is well.
    pub fn ok(&self) -> Style {
        match (self.no_color, self.name) {
            (true, _) => Style::new(),
            (false, ThemeName::Default) => Style::new().fg(OKABE_ITO_BLUE),
            (false, ThemeName::HighContrast) => Style::new()
                .fg(Color::White)
                .bg(Color::Black)
                .add_modifier(Modifier::BOLD),
        }
    }

    /// Less important text: the footer and hints.
    pub fn dim(&self) -> Style {
        match (self.no_color, self.name) {
            (true, _) => Style::new(),
            (false, ThemeName::Default) => Style::new().fg(Color::Gray),
            // Grey on black is too faint for a projector: plain white.
            (false, ThemeName::HighContrast) => Style::new().fg(Color::White).bg(Color::Black),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_leaves_no_colour_in_any_theme() {
        for name in ThemeName::ALL {
            let theme = Theme::named(name, true);
            for style in [
                theme.base(),
                theme.title(),
                theme.highlight(),
                theme.bold(),
                theme.warn(),
                theme.late(),
                theme.ok(),
                theme.dim(),
            ] {
                assert_eq!((style.fg, style.bg), (None, None), "{name:?}");
            }
        }
    }

    #[test]
    fn the_default_warns_in_orange_and_reassures_in_blue_never_red_or_green() {
        let theme = Theme::new(false);
        assert_eq!(theme.warn().fg, Some(OKABE_ITO_ORANGE));
        assert_eq!(theme.ok().fg, Some(OKABE_ITO_BLUE));
        for style in [
            theme.warn(),
            theme.late(),
            theme.ok(),
            theme.title(),
            theme.dim(),
        ] {
            for red_or_green in [Color::Red, Color::Green, Color::LightRed, Color::LightGreen] {
                assert_ne!(style.fg, Some(red_or_green));
            }
        }
    }

    #[test]
    fn theme_names_read_back_and_cycle_through_all() {
        for name in ThemeName::ALL {
            assert_eq!(ThemeName::parse(name.id()), Some(name));
        }
        assert_eq!(ThemeName::parse("neon"), None);
        assert_eq!(ThemeName::Default.next().next(), ThemeName::Default);
    }
}
