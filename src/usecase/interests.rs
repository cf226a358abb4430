//! Declarations of interest, for both front ends: which member a role or
//! id names, and the declaration itself (the store's one write).

use chrono::NaiveDateTime;

use crate::model::{Id, Meeting, Member};
use crate::store::Store;

/// The member `named` names among the meeting's members: their id, or
/// their role (any case) when one member has it. The message says what was
/// expected.
pub fn member_named<'m>(members: &'m [Member], named: &str) -> Result<&'m Member, String> {
    let named = named.trim();
    if let Ok(id) = named.parse::<Id>() {
        return members.iter().find(|m| m.id == id).ok_or_else(|| {
            format!(
                "found '{named}', expected a member id or role ({})",
                roles(members)
            )
        });
    }
    let with_role: Vec<&Member> = members
        .iter()
        .filter(|m| m.role.eq_ignore_ascii_case(named))
        .collect();
    match with_role.as_slice() {
        [one] => Ok(one),
        [] => Err(format!(
            "found '{named}', expected a member id or role ({})",
            roles(members)
        )),
        several => Err(format!(
            "found '{named}', held by {} members: expected one of their ids ({})",
            several.len(),
            several
                .iter()
                .map(|m| format!("{} {}", m.id, m.job_title))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

fn roles(members: &[Member]) -> String {
    if members.is_empty() {
        return "the panel has no members".to_owned();
    }
    members
        .iter()
        .map(|m| format!("{} {}", m.id, m.role))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Records `member`'s declaration of an interest in `child`'s item.
pub fn declare(
    store: &mut Store,
    meeting: &Meeting,
    child: &str,
    member: Id,
    note: Option<&str>,
    now: NaiveDateTime,
) -> crate::store::Result<()> {
    store.declare_interest(meeting.id, child, member, note, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MemberKind;

    fn member(id: Id, role: &str) -> Member {
        Member {
            id,
            role: role.into(),
            job_title: format!("Title of {role}"),
            name: None,
            kind: MemberKind::Standing,
            substitute_for: None,
            start: None,
            end: None,
        }
    }

    #[test]
    fn a_member_is_named_by_id_or_by_a_role_only_they_hold() {
        let members = [
            member(1, "head-of-service"),
            member(2, "iro"),
            member(3, "iro"),
        ];
        assert_eq!(member_named(&members, "1").unwrap().id, 1);
        assert_eq!(member_named(&members, "Head-Of-Service").unwrap().id, 1);
        assert_eq!(member_named(&members, "3").unwrap().id, 3);
        let two = member_named(&members, "iro").unwrap_err();
        assert_eq!(
            two,
            "found 'iro', held by 2 members: expected one of their ids (2 Title of iro, 3 Title of iro)"
        );
        let none = member_named(&members, "chair").unwrap_err();
        assert_eq!(
            none,
            "found 'chair', expected a member id or role (1 head-of-service, 2 iro, 3 iro)"
        );
        assert!(member_named(&members, "9").is_err());
    }
}
