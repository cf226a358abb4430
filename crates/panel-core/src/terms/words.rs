//! A preset said back in words, so a council can see that what it wrote in
//! TOML is what its terms of reference mean (`terms check`).

use chrono::NaiveTime;

use super::{BankHolidayMove, Every, Terms, WeekOfMonth};
use crate::model::MemberKind;
use crate::rules::dates::{dmy, weekday_name};

/// "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

fn hm(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

fn week_word(w: WeekOfMonth) -> &'static str {
    match w {
        WeekOfMonth::First => "first",
        WeekOfMonth::Second => "second",
        WeekOfMonth::Third => "third",
        WeekOfMonth::Fourth => "fourth",
        WeekOfMonth::Last => "last",
    }
}

impl Terms {
    /// The preset in plain sentences, one paragraph a part.
    pub fn in_words(&self) -> Vec<String> {
        let c = &self.cadence;
        let days: Vec<String> = c
            .weekdays
            .iter()
            .map(|w| weekday_name(*w).to_owned())
            .collect();
        let when = match c.every {
            Every::Month => format!(
                "on the {} {} of each month",
                and_list(
                    &c.weeks
                        .iter()
                        .map(|w| week_word(*w).to_owned())
                        .collect::<Vec<_>>()
                ),
                or_list(&days)
            ),
            Every::Week => format!("every {}", and_list(&days)),
            Every::Fortnight => format!(
                "every other {}, counted from {}",
                or_list(&days),
                c.anchor.map(dmy).unwrap_or_default()
            ),
        };
        let holiday = match c.bank_holiday {
            BankHolidayMove::Earlier => {
                "a sitting on a bank holiday moves to the working day before"
            }
            BankHolidayMove::Later => "a sitting on a bank holiday moves to the working day after",
            BankHolidayMove::Skip => "there is no sitting on a bank holiday",
        };
        let assumed = |yes: bool| {
            if yes {
                " (assumed: the terms of reference do not say)"
            } else {
                ""
            }
        };
        let mut out = vec![format!(
            "{} ({}), reporting to {}.",
            self.name, self.short_name, self.reports_to
        )];
        out.push(format!(
            "It sits {when}, from {} to {}; {holiday}{}.",
            hm(c.start),
            hm(c.end),
            assumed(c.assumed)
        ));
        let cap = self
            .agenda
            .max_children
            .map(|n| format!("; at most {n} children a sitting"))
            .unwrap_or_default();
        out.push(format!(
            "Each child is given {} minutes; a child heard is not listed again by a cohort for {} months{cap}.",
            self.agenda.slot_minutes, self.agenda.rotation_months
        ));
        let cohorts: Vec<String> = self
            .cohorts
            .iter()
            .enumerate()
            .map(|(i, cohort)| format!("{}. {} ({})", i + 1, cohort.title(), cohort.id()))
            .collect();
        out.push(format!(
            "Children are listed, in this order of priority: {}",
            cohorts.join("; ")
        ));
        for (i, id) in self.cohorts.iter().enumerate() {
            let Some(rule) = self.rule(*id) else {
                continue;
            };
            out.push(format!(
                "{}. {} ({}): a child looked after, {}; listed since {}.",
                i + 1,
                rule.title,
                rule.id,
                crate::rules::blocks::describe_all(&rule.when, &self.external_providers),
                rule.since.words()
            ));
        }
        let title = |id: &str| {
            self.role(id)
                .map_or_else(|| id.to_owned(), |r| r.job_title.clone())
        };
        let places: Vec<String> = self
            .quorum
            .requirements
            .iter()
            .map(|q| {
                let who: Vec<String> = q.roles.iter().map(|r| title(r)).collect();
                let deputy = if q.substitute {
                    ", or a named substitute for one of them"
                } else {
                    ""
                };
                format!("{}: the {}{deputy}", q.label, or_list(&who))
            })
            .collect();
        let standing = if self.quorum.min_standing > 0 {
            format!(
                "; and at least {} standing members present",
                self.quorum.min_standing
            )
        } else {
            String::new()
        };
        out.push(format!(
            "It is quorate with {}{standing}{}.",
            places.join("; "),
            assumed(self.quorum.assumed)
        ));
        let seats: Vec<String> = self
            .roles
            .iter()
            .map(|r| {
                let kind = match r.kind {
                    MemberKind::Standing => "standing member",
                    MemberKind::Adviser => "adviser",
                    MemberKind::Presenter => "presenter",
                };
                let chair = if r.chair { ", chairs" } else { "" };
                let as_required = if r.as_required {
                    ", attends as required and is never counted towards quorum"
                } else {
                    ""
                };
                format!("{} ({kind}{chair}{as_required})", r.job_title)
            })
            .collect();
        out.push(format!("Its seats: {}.", seats.join("; ")));
        out.push(format!(
            "Papers are due {} {}days before the meeting: {}.",
            self.papers.days_before,
            if self.papers.working_days {
                "working "
            } else {
                ""
            },
            and_list(&self.papers.required)
        ));
        // Only a preset that names its item types says them: one that
        // names none hears tracking reviews alone, as it always has.
        if self.item_types != super::items::default_item_types() {
            let items: Vec<String> = self
                .item_types
                .iter()
                .map(|t| self.item_in_words(t))
                .collect();
            out.push(format!("It hears: {}.", items.join("; ")));
        }
        out
    }

    /// "Special Guardianship support plan (recommended, not recommended or
    /// deferred; the Head of Service decides; papers: Support plan;
    /// records the money committed)".
    fn item_in_words(&self, item: &super::ItemType) -> String {
        let mut parts = vec![item.outcomes_in_words()];
        if let Some(who) = &item.decided_by {
            parts.push(format!("the panel recommends and the {who} decides"));
        }
        if item.papers.is_some() {
            parts.push(format!("papers: {}", and_list(self.papers_for(item))));
        }
        if item.financial {
            parts.push("records the money committed".into());
        }
        format!("{} ({})", item.title, parts.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wiltshire_reads_back_as_its_terms_say() {
        let words = Terms::load("wiltshire").unwrap().in_words().join("\n");
        assert!(
            words.contains("It sits on the last Friday of each month, from 09:30 to 13:00; a sitting on a bank holiday moves to the working day before."),
            "{words}"
        );
        assert!(
            words.contains("1. Carried over from an earlier meeting (carried-over)"),
            "{words}"
        );
        assert!(words.contains("It is quorate with"), "{words}");
        assert!(
            words.contains(
                "3. Tracked from the third review (tracked-from-third-review): a child looked after, \
                 legal status not placement order granted (E1) or freeing order granted (D1), \
                 not in placement for adoption, the plan not yet achieved and 3 or more reviews \
                 in the current period of care; listed since the review counted."
            ),
            "{words}"
        );
    }

    #[test]
    fn telford_says_what_it_assumes() {
        let words = Terms::load("telford").unwrap().in_words().join("\n");
        assert!(
            words.contains("on the second Tuesday of each month, from 10:00 to 12:30; a sitting on a bank holiday moves to the working day before (assumed: the terms of reference do not say)."),
            "{words}"
        );
        assert!(words.contains("(assumed: the terms of reference do not say)."));
    }

    #[test]
    fn item_types_are_said_only_where_the_preset_names_them() {
        let words = Terms::load("knowsley").unwrap().in_words().join("\n");
        assert!(
            words.contains(
                "It hears: Permanence tracking review (endorsed, not endorsed, deferred or referred elsewhere); \
                 Special Guardianship or Child Arrangements Order support plan (recommended, not recommended or deferred; \
                 the panel recommends and the Head of Service decides; papers: Special Guardianship assessment report and Support plan; \
                 records the money committed); Funding request (approved, declined or deferred; papers: Funding request; \
                 records the money committed)."
            ),
            "{words}"
        );
        let words = Terms::load("wiltshire").unwrap().in_words().join("\n");
        assert!(!words.contains("It hears"), "{words}");
    }
}
