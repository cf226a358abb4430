//! What makes a member's record valid, checked once for every way a member
//! comes in: the members form in the app and `members import`'s CSV.

use chrono::NaiveDate;

use crate::model::{Id, Member, MemberKind};
use crate::rules::dates::parse_dmy;
use crate::terms::Terms;

/// A member as typed or read from a file: every field still text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberDraft {
    /// 0 for a new member.
    pub id: Id,
    pub role: String,
    pub job_title: String,
    pub name: String,
    pub kind: String,
    pub substitute_for: String,
    pub start: String,
    pub end: String,
}

/// The fields of a member, in the members CSV's column order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MemberField {
    Role,
    JobTitle,
    Kind,
    SubstituteFor,
    Start,
    End,
}

/// One field that will not do: what was found there and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: MemberField,
    pub found: String,
    pub expected: String,
}

/// A role id as the presets write them: lower-case letters, digits, hyphens.
pub fn is_role_id(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

impl MemberDraft {
    /// The member, or every field that will not do (in the CSV's column order). A role
    /// is a role id; a member deputises only for a role of the panel's
    /// terms; dates are read by the one date grammar; the end is not before
    /// the start.
    pub fn check(&self, terms: &Terms) -> Result<Member, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let mut problem = |field, found: &str, expected: String| {
            problems.push(FieldProblem {
                field,
                found: found.to_owned(),
                expected,
            })
        };
        let role = self.role.trim();
        if !is_role_id(role) {
            problem(
                MemberField::Role,
                role,
                "a role id (lower-case letters, digits and hyphens, e.g. head-of-service)".into(),
            );
        }
        let job_title = self.job_title.trim();
        if job_title.is_empty() {
            problem(MemberField::JobTitle, job_title, "a job title".into());
        }
        let kind = MemberKind::parse(&self.kind);
        if kind.is_none() {
            problem(
                MemberField::Kind,
                self.kind.trim(),
                "standing, adviser or presenter".into(),
            );
        }
        let deputy = self.substitute_for.trim();
        let role_ids: Vec<&str> = terms.roles.iter().map(|r| r.id.as_str()).collect();
        if !deputy.is_empty() && !role_ids.contains(&deputy) {
            problem(
                MemberField::SubstituteFor,
                deputy,
                format!("blank or a role of the terms ({})", role_ids.join(" ")),
            );
        }
        let mut date = |field, text: &str| -> Option<NaiveDate> {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            let parsed = parse_dmy(text);
            if parsed.is_none() {
                problem(field, text, "a date as dd/mm/yyyy".into());
            }
            parsed
        };
        let start = date(MemberField::Start, &self.start);
        let end = date(MemberField::End, &self.end);
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            problem(
                MemberField::End,
                self.end.trim(),
                "an end date on or after the start date".into(),
            );
        }
        match kind {
            Some(kind) if problems.is_empty() => Ok(Member {
                id: self.id,
                role: role.to_owned(),
                job_title: job_title.to_owned(),
                name: Some(self.name.trim())
                    .filter(|n| !n.is_empty())
                    .map(str::to_owned),
                kind,
                substitute_for: (!deputy.is_empty()).then(|| deputy.to_owned()),
                start,
                end,
            }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms() -> Terms {
        Terms::load("wiltshire").expect("the preset")
    }

    fn draft() -> MemberDraft {
        MemberDraft {
            role: "head-of-service".into(),
            job_title: "Head of Service".into(),
            kind: "standing".into(),
            ..MemberDraft::default()
        }
    }

    fn fields(problems: Vec<FieldProblem>) -> Vec<MemberField> {
        problems.into_iter().map(|p| p.field).collect()
    }

    #[test]
    fn a_complete_member_passes_with_dates_in_either_form() {
        let member = MemberDraft {
            start: "1/12/2026".into(),
            end: "2027-03-31".into(),
            ..draft()
        }
        .check(&terms())
        .expect("valid");
        assert_eq!(member.start, NaiveDate::from_ymd_opt(2026, 12, 1));
        assert_eq!(member.end, NaiveDate::from_ymd_opt(2027, 3, 31));
        assert_eq!(member.name, None);
    }

    #[test]
    fn every_bad_field_is_named_in_column_order() {
        let bad = MemberDraft {
            id: 0,
            role: "Head of Service".into(),
            job_title: " ".into(),
            name: String::new(),
            kind: "visitor".into(),
            substitute_for: "no-such-role".into(),
            start: "31/02/2026".into(),
            end: "soon".into(),
        };
        assert_eq!(
            fields(bad.check(&terms()).expect_err("invalid")),
            vec![
                MemberField::Role,
                MemberField::JobTitle,
                MemberField::Kind,
                MemberField::SubstituteFor,
                MemberField::Start,
                MemberField::End,
            ]
        );
    }

    #[test]
    fn a_deputy_must_be_a_role_of_the_terms_not_only_shaped_like_one() {
        let role = terms().roles[0].id.clone();
        let ok = MemberDraft {
            substitute_for: role,
            ..draft()
        };
        assert!(ok.check(&terms()).is_ok());
        let shaped = MemberDraft {
            substitute_for: "made-up-role".into(),
            ..draft()
        };
        assert_eq!(
            fields(shaped.check(&terms()).expect_err("not a role")),
            vec![MemberField::SubstituteFor]
        );
    }

    #[test]
    fn role_ids_are_lower_case_letters_digits_and_hyphens() {
        for good in ["iro", "service-manager-crs", "team-2"] {
            assert!(is_role_id(good), "{good}");
        }
        for bad in ["", "Head of Service", "IRO", "service_manager", "rôle"] {
            assert!(!is_role_id(bad), "{bad}");
        }
    }

    #[test]
    fn an_end_before_the_start_is_refused_on_the_end() {
        let backwards = MemberDraft {
            start: "01/12/2026".into(),
            end: "30/11/2026".into(),
            ..draft()
        };
        let problems = backwards.check(&terms()).expect_err("backwards");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, MemberField::End);
        assert_eq!(problems[0].found, "30/11/2026");
    }
}
