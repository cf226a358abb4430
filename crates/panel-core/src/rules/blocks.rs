//! The building blocks a preset writes its cohorts with (`[[cohort]]` in
//! `assets/terms/*.toml`): each block reads the child's merged history and
//! the panel's own facts at D through `rules::care`, says whether it holds,
//! and says why in the words of a chair. A cohort is a title, a list of
//! blocks that must all hold, and the date its membership counts from.
//!
//! ```toml
//! [[cohort]]
//! id = "placement-order-9m"
//! title = "Placement order for longer than 9 months"
//! short_title = "Placement order over 9 months"
//! since = "run"
//! when = [
//!   { run = { legal_status = ["E1"], longer_than = "9 months" } },
//!   { say = "placement" },
//! ]
//! ```
//!
//! The sentence is the phrases of the blocks that held, in the order
//! written, joined by "; " (an `any` speaks for its first branch that
//! held; a block under `not` is silent; `mention` says its block when it
//! holds and never stops the child being listed; `say` adds a fact).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::{ChildRecord, CohortId, LegalStatus, Place, PlanKind, Provider, Rne};
use crate::rules::care::{
    self, CareAt, Run, SettingClass, achieved_on, agreed_contingency, agreed_plan,
    legal_status_phrase, long_term_match_agreed, match_agreed_on, placement_phrase,
    reviews_in_period, run_episodes, same_carers_run_start, since_phrase,
};
use crate::rules::cohorts::PanelRoutes;
use crate::rules::dates::{dmy, span_between};
use crate::rules::duration::Duration;
use crate::rules::timetable::next_review_due;
use crate::text::capitalised;

/// A cohort as a preset defines it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CohortRule {
    #[serde(deserialize_with = "defined_id")]
    pub id: CohortId,
    pub title: String,
    pub short_title: String,
    /// Which date the membership counts from.
    pub since: Since,
    /// Blocks that must all hold, in the order the sentence says them.
    pub when: Vec<Block>,
    /// Within the cohort, children meeting the first of these come first,
    /// then the second, ...; the rest after (Telford's `foster-12m`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub first: Vec<Block>,
}

fn defined_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<CohortId, D::Error> {
    let text = String::deserialize(d)?;
    let id = text.trim();
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(<D::Error as serde::de::Error>::custom(format!(
            "'{text}' is not a cohort id: lower-case letters, digits and hyphens"
        )));
    }
    Ok(CohortId::define_id(id))
}

/// The date a membership counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Since {
    /// The start of the first `run` that held.
    Run,
    /// The kth review of `reviews = { at_least = k }`.
    Review,
    /// `PLAN_AGREED` of the `plan` block.
    Plan,
    /// The start of the period of care.
    Period,
    /// The open referral made first.
    Referral,
    /// The latest meeting that carried the child over.
    CarriedOver,
}

impl Since {
    pub fn words(self) -> &'static str {
        match self {
            Since::Run => "the start of the run",
            Since::Review => "the review counted",
            Since::Plan => "the day the plan was agreed",
            Since::Period => "the start of the period of care",
            Since::Referral => "the referral",
            Since::CarriedOver => "the meeting that carried the child over",
        }
    }
}

/// One building block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Block {
    /// Every block holds.
    All(Vec<Block>),
    /// At least one holds; the first that does speaks.
    Any(Vec<Block>),
    /// The block does not hold (silent).
    Not(Box<Block>),
    /// Always holds; says the block when it holds.
    Mention(Box<Block>),
    /// Always holds; says a fact about the child.
    Say(Fact),
    /// The current legal status is in the set.
    LegalStatus(Vec<LegalStatusCode>),
    /// The current placement is in the set (codes or setting classes).
    Placement(Vec<PlaceItem>),
    /// The current provider is in the set (codes or `external`).
    Provider(Vec<ProviderItem>),
    /// A run longer or shorter than a duration.
    Run(RunBlock),
    /// The number of reviews held in the current period.
    Reviews(ReviewCount),
    /// The next review is review k, due within a duration or overdue.
    NextReview(NextReview),
    /// No permanence plan agreed (`true`), or one agreed (`false`).
    NoPlan(bool),
    /// A plan agreed, of a kind, since when, matched, achieved.
    Plan(PlanBlock),
    /// A long-term fostering match agreed (`MATCH_AGREED`, or U1/U4).
    MatchAgreed(bool),
    /// `ACHIEVED` on or before D.
    Achieved(bool),
    /// `NO_PR = Y`.
    NoPr(bool),
    /// `POTENTIAL_SGO = Y`.
    PotentialSgo(bool),
    /// Placement moves (P or B: a change of carers) in the last while.
    Moves(Moves),
    /// Age in whole years at D.
    Age(AgeBound),
    /// An open referral to the panel.
    OpenReferral(bool),
    /// Carried over by the panel at a meeting on or before D.
    CarriedOver(bool),
}

/// A fact `say` adds to the sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fact {
    /// "full care order (C2) since ..."
    LegalStatus,
    /// "placement: foster placement ... same carers since ..."
    Placement,
    /// "foster placement with other foster carer (U6)"
    CurrentPlacement,
    /// Whether a long-term fostering match is agreed, and when.
    Match,
    /// "in care since ..."
    Period,
}

/// A legal status code of the SSDA903 lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LegalStatusCode(pub LegalStatus);

/// A placement code of the SSDA903 lists, or a setting class of rules.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceItem {
    Code(Place),
    Class(SettingClass),
}

/// A provider code of the SSDA903 lists, or the terms' external providers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderItem {
    Code(Provider),
    External,
}

/// A plan kind as `plans.csv` writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanKindCode(pub PlanKind);

/// The setting classes by the names a preset writes.
const CLASSES: [(&str, SettingClass); 6] = [
    ("foster", SettingClass::Foster),
    ("long-term-foster", SettingClass::LongTermFoster),
    ("connected-person", SettingClass::ConnectedPerson),
    ("with-parents", SettingClass::WithParents),
    ("placed-for-adoption", SettingClass::PlacedForAdoption),
    ("residential", SettingClass::Residential),
];

fn class_name(class: SettingClass) -> &'static str {
    CLASSES
        .iter()
        .find(|(_, c)| *c == class)
        .map_or("", |(n, _)| n)
}

macro_rules! text_value {
    ($ty:ty, |$v:ident| $to:expr, |$t:ident| $from:expr) => {
        impl Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let $v = self;
                s.serialize_str($to)
            }
        }
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                let $t = text.trim();
                let parsed: Result<$ty, String> = $from;
                parsed.map_err(<D::Error as serde::de::Error>::custom)
            }
        }
    };
}

text_value!(LegalStatusCode, |v| v.0.code(), |t| LegalStatus::parse(t)
    .map(LegalStatusCode)
    .ok_or_else(|| format!(
        "'{t}' is not a legal status of the SSDA903 lists: {}",
        LegalStatus::EXPECTED
    )));

text_value!(
    PlaceItem,
    |v| match v {
        PlaceItem::Code(p) => p.code(),
        PlaceItem::Class(c) => class_name(*c),
    },
    |t| {
        if let Some((_, class)) = CLASSES.iter().find(|(n, _)| n.eq_ignore_ascii_case(t)) {
            Ok(PlaceItem::Class(*class))
        } else {
            Place::parse(t).map(PlaceItem::Code).ok_or_else(|| {
                format!(
                    "'{t}' is not a placement code of the SSDA903 lists nor a setting class \
                     (foster, long-term-foster, connected-person, with-parents, \
                     placed-for-adoption, residential)"
                )
            })
        }
    }
);

text_value!(
    ProviderItem,
    |v| match v {
        ProviderItem::Code(p) => p.code(),
        ProviderItem::External => "external",
    },
    |t| {
        if t.eq_ignore_ascii_case("external") {
            Ok(ProviderItem::External)
        } else {
            Provider::parse(t).map(ProviderItem::Code).ok_or_else(|| {
                format!(
                    "'{t}' is not a provider code of the SSDA903 lists nor 'external': {}",
                    Provider::EXPECTED
                )
            })
        }
    }
);

text_value!(PlanKindCode, |v| v.0.id(), |t| PlanKind::parse(t)
    .map(PlanKindCode)
    .ok_or_else(|| format!("'{t}' is not {}", PlanKind::EXPECTED)));

/// A run: of a legal-status set, a placement set, the same carers or the
/// period of care (exactly one), optionally with every episode of it in a
/// placement or provider set, longer or shorter than a duration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RunFields", into = "RunFields")]
pub struct RunBlock {
    pub of: RunOf,
    pub every_placement: Vec<PlaceItem>,
    pub every_provider: Vec<ProviderItem>,
    pub longer_than: Option<Duration>,
    pub shorter_than: Option<Duration>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RunOf {
    LegalStatus(Vec<LegalStatusCode>),
    Placement(Vec<PlaceItem>),
    SameCarers,
    Period,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RunFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    legal_status: Option<Vec<LegalStatusCode>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    placement: Option<Vec<PlaceItem>>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    same_carers: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    period: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    every_placement: Vec<PlaceItem>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    every_provider: Vec<ProviderItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    longer_than: Option<Duration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    shorter_than: Option<Duration>,
}

impl TryFrom<RunFields> for RunBlock {
    type Error = String;
    fn try_from(f: RunFields) -> Result<RunBlock, String> {
        let mut of = Vec::new();
        if let Some(set) = f.legal_status {
            of.push(RunOf::LegalStatus(set));
        }
        if let Some(set) = f.placement {
            of.push(RunOf::Placement(set));
        }
        if f.same_carers {
            of.push(RunOf::SameCarers);
        }
        if f.period {
            of.push(RunOf::Period);
        }
        if of.len() != 1 {
            return Err(
                "a run is of exactly one of: legal_status = [...], placement = [...], \
                 same_carers = true, period = true"
                    .into(),
            );
        }
        Ok(RunBlock {
            of: of.remove(0),
            every_placement: f.every_placement,
            every_provider: f.every_provider,
            longer_than: f.longer_than,
            shorter_than: f.shorter_than,
        })
    }
}

impl From<RunBlock> for RunFields {
    fn from(r: RunBlock) -> RunFields {
        let (mut legal_status, mut placement, mut same_carers, mut period) =
            (None, None, false, false);
        match r.of {
            RunOf::LegalStatus(s) => legal_status = Some(s),
            RunOf::Placement(s) => placement = Some(s),
            RunOf::SameCarers => same_carers = true,
            RunOf::Period => period = true,
        }
        RunFields {
            legal_status,
            placement,
            same_carers,
            period,
            every_placement: r.every_placement,
            every_provider: r.every_provider,
            longer_than: r.longer_than,
            shorter_than: r.shorter_than,
        }
    }
}

/// Reviews held in the current period: at least k, fewer than k, or both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewCount {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fewer_than: Option<u32>,
}

/// The next review is review `number` (counted in the current period),
/// and, when given, due within a duration from D or already overdue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NextReview {
    pub number: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_within: Option<Duration>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub overdue: bool,
}

/// A plan agreed on or before D.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanBlock {
    /// Kinds that count (any kind when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kind: Vec<PlanKindCode>,
    /// Kinds that do not count ("other than adoption").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub except: Vec<PlanKindCode>,
    /// Agreed more than this long ago.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub older_than: Option<Duration>,
    /// Agreed after the kth review of the current period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_review: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub match_agreed: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achieved: Option<bool>,
    /// Which plan the kinds are read from: the plan (`PLAN`, the default),
    /// the contingency plan (`CONTINGENCY_PLAN`) or either.
    #[serde(rename = "as", default, skip_serializing_if = "PlanAs::is_primary")]
    pub plan_as: PlanAs,
}

/// Which of a child's plans a `plan` block reads its kinds from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanAs {
    #[default]
    Primary,
    Contingency,
    Either,
}

impl PlanAs {
    fn is_primary(&self) -> bool {
        *self == PlanAs::Primary
    }
}

/// At least `at_least` placement moves within the last `within`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Moves {
    pub at_least: u32,
    pub within: Duration,
}

/// Age in whole years at D: `below` (younger than) and/or `above` (older
/// than).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgeBound {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub above: Option<u32>,
}

// ------------------------------------------------------------ evaluation

/// What a block reads: the child at D, the terms' external providers and
/// the panel's own routes.
pub struct Facts<'a> {
    pub record: &'a ChildRecord,
    pub care: &'a CareAt,
    pub d: NaiveDate,
    pub external: &'a [Provider],
    pub routes: &'a PanelRoutes,
}

/// A block that held, with what it found, for the sentence and the since.
#[derive(Debug, Clone, Copy)]
struct Note<'b> {
    block: &'b Block,
    date: Option<NaiveDate>,
    count: usize,
    /// Said only (under `mention`): offers no since date.
    mentioned: bool,
}

/// The blocks that held, in order.
#[derive(Debug, Default)]
pub struct Trace<'b> {
    notes: Vec<Note<'b>>,
}

impl<'b> Trace<'b> {
    pub fn clear(&mut self) {
        self.notes.clear();
    }
}

/// Whether every block of `rule` holds for the child; its since date and
/// sentence when they do. `trace` is scratch space reused between calls.
pub fn evaluate<'b>(
    rule: &'b CohortRule,
    facts: &Facts,
    trace: &mut Trace<'b>,
) -> Option<(NaiveDate, String)> {
    trace.clear();
    if !rule.when.iter().all(|b| holds(b, facts, trace, false)) {
        return None;
    }
    let since = since_of(rule.since, facts, &trace.notes)?;
    // One string, written once: `cohorts` builds 60,000 of these at 100,000
    // children.
    let mut sentence = String::with_capacity(256);
    for n in &trace.notes {
        let words = phrase(n, facts);
        if words.is_empty() {
            continue;
        }
        if !sentence.is_empty() {
            sentence.push_str("; ");
        }
        sentence.push_str(&words);
    }
    match sentence.get_mut(0..1) {
        Some(first) => first.make_ascii_uppercase(),
        None => sentence = capitalised(&sentence),
    }
    Some((since, sentence))
}

/// Where a child stands in the cohort's `first` order: the index of the
/// first block that holds, or the number of blocks.
pub fn rank(rule: &CohortRule, facts: &Facts) -> u8 {
    let mut scratch = Trace::default();
    let at = rule.first.iter().position(|b| {
        scratch.clear();
        holds(b, facts, &mut scratch, false)
    });
    u8::try_from(at.unwrap_or(rule.first.len())).unwrap_or(u8::MAX)
}

/// Whether `block` holds; what held is noted on `trace` (and taken back
/// when the block as a whole fails).
fn holds<'b>(block: &'b Block, f: &Facts, trace: &mut Trace<'b>, mentioned: bool) -> bool {
    let mark = trace.notes.len();
    let mut note = |trace: &mut Trace<'b>, date: Option<NaiveDate>, count: usize| {
        trace.notes.push(Note {
            block,
            date,
            count,
            mentioned,
        });
    };
    let current = &f.record.episodes[f.care.current];
    let ok = match block {
        Block::All(blocks) => blocks.iter().all(|b| holds(b, f, trace, mentioned)),
        Block::Any(blocks) => blocks.iter().any(|b| {
            let before = trace.notes.len();
            let held = holds(b, f, trace, mentioned);
            if !held {
                trace.notes.truncate(before);
            }
            held
        }),
        Block::Not(inner) => {
            let held = holds(inner, f, trace, mentioned);
            trace.notes.truncate(mark);
            return !held;
        }
        Block::Mention(inner) => {
            if !holds(inner, f, trace, true) {
                trace.notes.truncate(mark);
            }
            return true;
        }
        Block::Say(_) => {
            note(trace, None, 0);
            true
        }
        Block::LegalStatus(set) => {
            let ok = set.iter().any(|c| c.0 == current.ls);
            if ok {
                note(trace, None, 0);
            }
            ok
        }
        Block::Placement(set) => {
            let ok = in_places(set, current.place);
            if ok {
                note(trace, None, 0);
            }
            ok
        }
        Block::Provider(set) => {
            let ok = current
                .place_provider
                .is_some_and(|p| in_providers(set, p, f.external));
            if ok {
                note(trace, None, 0);
            }
            ok
        }
        Block::Run(run) => match run_start(run, f) {
            Some(r) => {
                note(trace, Some(r.start), 0);
                true
            }
            None => false,
        },
        Block::Reviews(count) => {
            let held = reviews_in_period(f.record, f.care.period_start, f.d);
            let n = held.len();
            let ok = count.at_least.is_none_or(|k| n >= k as usize)
                && count.fewer_than.is_none_or(|k| n < k as usize);
            if ok {
                let kth = count
                    .at_least
                    .filter(|k| *k > 0)
                    .and_then(|k| held.get(k as usize - 1))
                    .map(|r| r.review);
                note(trace, kth, n);
            }
            ok
        }
        Block::NextReview(next) => match next_review(next, f) {
            Some(due) => {
                note(trace, Some(due), 0);
                true
            }
            None => false,
        },
        Block::NoPlan(none) => {
            let ok = agreed_plan(f.record, f.d).is_none() == *none;
            if ok {
                note(trace, None, 0);
            }
            ok
        }
        Block::Plan(plan) => match plan_holds(plan, f) {
            Some(agreed) => {
                note(trace, Some(agreed), 0);
                true
            }
            None => false,
        },
        Block::MatchAgreed(want) => flag(
            long_term_match_agreed(f.record, f.care, f.d) == *want,
            trace,
            &mut note,
        ),
        Block::Achieved(want) => {
            let on = achieved_on(f.record, f.d);
            let ok = on.is_some() == *want;
            if ok {
                note(trace, on, 0);
            }
            ok
        }
        Block::NoPr(want) => flag(care::no_pr(f.record) == *want, trace, &mut note),
        Block::PotentialSgo(want) => flag(care::potential_sgo(f.record) == *want, trace, &mut note),
        Block::Moves(moves) => {
            let n = moves_within(f.record, moves.within, f.d);
            let ok = n >= moves.at_least as usize;
            if ok {
                note(trace, None, n);
            }
            ok
        }
        Block::Age(bound) => {
            let age = span_between(f.record.child.dob, f.d).years;
            let ok = bound.below.is_none_or(|b| age < b) && bound.above.is_none_or(|a| age > a);
            if ok {
                note(trace, None, age as usize);
            }
            ok
        }
        Block::OpenReferral(want) => {
            let made = open_referral(f);
            let ok = made.is_some() == *want;
            if ok {
                note(trace, made, 0);
            }
            ok
        }
        Block::CarriedOver(want) => {
            let at = carried_over_at(f);
            let ok = at.is_some() == *want;
            if ok {
                note(trace, at, 0);
            }
            ok
        }
    };
    if !ok {
        trace.notes.truncate(mark);
    }
    ok
}

fn flag<'b>(
    ok: bool,
    trace: &mut Trace<'b>,
    note: &mut impl FnMut(&mut Trace<'b>, Option<NaiveDate>, usize),
) -> bool {
    if ok {
        note(trace, None, 0);
    }
    ok
}

fn in_places(set: &[PlaceItem], place: Place) -> bool {
    set.iter().any(|item| match item {
        PlaceItem::Code(p) => *p == place,
        PlaceItem::Class(c) => c.contains(place),
    })
}

fn in_providers(set: &[ProviderItem], provider: Provider, external: &[Provider]) -> bool {
    set.iter().any(|item| match item {
        ProviderItem::Code(p) => *p == provider,
        ProviderItem::External => external.contains(&provider),
    })
}

/// The run's start when it holds: the current episode starts it (or is
/// in it), every episode of it is in the `every_` sets, and its length is
/// within the bounds.
fn run_start(run: &RunBlock, f: &Facts) -> Option<Run> {
    let every = |e: &crate::model::Episode| {
        (run.every_placement.is_empty() || in_places(&run.every_placement, e.place))
            && (run.every_provider.is_empty()
                || e.place_provider
                    .is_some_and(|p| in_providers(&run.every_provider, p, f.external)))
    };
    // The current episode is in every run: most children fail here, before
    // any walk back through their history.
    if !every(&f.record.episodes[f.care.current]) {
        return None;
    }
    let r = match &run.of {
        RunOf::LegalStatus(set) => run_back(f, |e| set.iter().any(|c| c.0 == e.ls))?,
        RunOf::Placement(set) => run_back(f, |e| in_places(set, e.place))?,
        RunOf::SameCarers => same_carers_run_start(f.record, f.care),
        RunOf::Period => Run {
            first: f.care.period_start_index,
            start: f.care.period_start,
        },
    };
    if !run_episodes(f.record, f.care, r).all(every) {
        return None;
    }
    if run.longer_than.is_some_and(|l| !l.exceeded(r.start, f.d))
        || run
            .shorter_than
            .is_some_and(|s| !s.not_reached(r.start, f.d))
    {
        return None;
    }
    Some(r)
}

/// The run of episodes, back from the current one, for which `keep` holds
/// (as `care::legal_status_run_start` and `setting_run_start`, for a set).
fn run_back(f: &Facts, keep: impl Fn(&crate::model::Episode) -> bool) -> Option<Run> {
    let mut run = None;
    for (i, e) in care::period_episodes(f.record, f.care) {
        if !keep(e) {
            break;
        }
        run = Some(Run {
            first: i,
            start: e.decom,
        });
    }
    run
}

/// The due date when the next review is review `number` and the timing
/// holds.
fn next_review(next: &NextReview, f: &Facts) -> Option<NaiveDate> {
    let held = reviews_in_period(f.record, f.care.period_start, f.d);
    if held.len() + 1 != next.number as usize {
        return None;
    }
    let due = next_review_due(
        f.care.period_start,
        held.len(),
        held.last().map(|r| r.review),
        crate::rules::duration::working_calendar(),
    );
    let within = next
        .due_within
        .is_none_or(|w| due >= f.d && due <= w.after(f.d));
    let overdue = !next.overdue || due < f.d;
    (within && overdue).then_some(due)
}

/// `PLAN_AGREED` when a plan of the block's kinds is agreed by D and the
/// rest of the block holds.
fn plan_holds(plan: &PlanBlock, f: &Facts) -> Option<NaiveDate> {
    let (kind, agreed) = agreed_plan(f.record, f.d)?;
    let fits = |kind: PlanKind| {
        (plan.kind.is_empty() || plan.kind.iter().any(|k| k.0 == kind))
            && !plan.except.iter().any(|k| k.0 == kind)
    };
    let contingency_fits = || agreed_contingency(f.record, f.d).is_some_and(fits);
    let kind_ok = match plan.plan_as {
        PlanAs::Primary => fits(kind),
        PlanAs::Contingency => contingency_fits(),
        PlanAs::Either => fits(kind) || contingency_fits(),
    };
    if !kind_ok || plan.older_than.is_some_and(|o| !o.exceeded(agreed, f.d)) {
        return None;
    }
    if let Some(k) = plan.after_review {
        let held = reviews_in_period(f.record, f.care.period_start, f.d);
        let kth = held.get((k as usize).checked_sub(1)?)?.review;
        if agreed <= kth {
            return None;
        }
    }
    if plan
        .match_agreed
        .is_some_and(|m| long_term_match_agreed(f.record, f.care, f.d) != m)
        || plan
            .achieved
            .is_some_and(|a| achieved_on(f.record, f.d).is_some() != a)
    {
        return None;
    }
    Some(agreed)
}

/// Episodes begun by a change of carers and placement (`RNE` P or B) on a
/// day within the last `within` up to D.
fn moves_within(record: &ChildRecord, within: Duration, d: NaiveDate) -> usize {
    let from = within.before(d);
    record
        .episodes
        .iter()
        .filter(|e| matches!(e.rne, Rne::P | Rne::B) && e.decom > from && e.decom <= d)
        .count()
}

/// The longest-waiting open referral's date.
fn open_referral(f: &Facts) -> Option<NaiveDate> {
    f.routes
        .referrals
        .iter()
        .filter(|r| r.child == f.record.child.id && r.is_open_at(f.d))
        .map(|r| r.made_on)
        .min()
}

/// The latest meeting on or before D that carried the child over.
fn carried_over_at(f: &Facts) -> Option<NaiveDate> {
    f.routes
        .carried_over
        .iter()
        .filter(|c| c.child == f.record.child.id && c.meeting <= f.d)
        .map(|c| c.meeting)
        .max()
}

/// The date the membership counts from: the first block of the kind that
/// held (never one only mentioned).
fn since_of(since: Since, f: &Facts, notes: &[Note]) -> Option<NaiveDate> {
    if since == Since::Period {
        return Some(f.care.period_start);
    }
    notes
        .iter()
        .filter(|n| !n.mentioned)
        .find_map(|n| match (since, n.block) {
            (Since::Run, Block::Run(_))
            | (Since::Review, Block::Reviews(_))
            | (Since::Plan, Block::Plan(_))
            | (Since::Referral, Block::OpenReferral(true))
            | (Since::CarriedOver, Block::CarriedOver(true)) => n.date,
            _ => None,
        })
}

/// Whether a block offers the date `since` names whenever it holds: the
/// check a preset's cohort passes when read.
pub fn offers(block: &Block, since: Since) -> bool {
    match block {
        Block::All(blocks) => blocks.iter().any(|b| offers(b, since)),
        Block::Any(blocks) => !blocks.is_empty() && blocks.iter().all(|b| offers(b, since)),
        Block::Run(_) => since == Since::Run,
        Block::Reviews(c) => since == Since::Review && c.at_least.is_some_and(|k| k > 0),
        Block::Plan(_) => since == Since::Plan,
        Block::OpenReferral(true) => since == Since::Referral,
        Block::CarriedOver(true) => since == Since::CarriedOver,
        _ => false,
    }
}

// ------------------------------------------------------------ words

const ORDINALS: [&str; 10] = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
];

fn ordinal(k: u32) -> String {
    match k.checked_sub(1).and_then(|i| ORDINALS.get(i as usize)) {
        Some(word) => (*word).to_owned(),
        None => format!("{k}th"),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// How a placement set reads after "in" ("residential care") or alone.
fn places_words(set: &[PlaceItem], current: Place) -> String {
    match set {
        [PlaceItem::Class(c)] => class_words(*c).to_owned(),
        _ => format!("{} ({})", current.meaning(), current.code()),
    }
}

fn class_words(class: SettingClass) -> &'static str {
    match class {
        SettingClass::Foster => "foster care",
        SettingClass::LongTermFoster => "long-term foster care",
        SettingClass::ConnectedPerson => "connected-person care",
        SettingClass::WithParents => "placement with parents",
        SettingClass::PlacedForAdoption => "placement for adoption",
        SettingClass::Residential => "residential care",
    }
}

fn providers_words(set: &[ProviderItem], current: Option<Provider>) -> String {
    match (set, current) {
        ([ProviderItem::External], _) => "an external provider".to_owned(),
        (_, Some(p)) => format!("{} ({})", p.meaning(), p.code()),
        (_, None) => "no provider recorded".to_owned(),
    }
}

/// Whether the long-term fostering match is agreed, and how we know.
fn match_words(f: &Facts) -> String {
    let current = &f.record.episodes[f.care.current];
    if let Some(on) = match_agreed_on(f.record, f.d) {
        format!("long-term fostering match agreed on {}", dmy(on))
    } else if SettingClass::LongTermFoster.contains(current.place) {
        "long-term fostering match agreed (long-term placement)".to_owned()
    } else {
        "no long-term fostering match agreed".to_owned()
    }
}

/// The words of one block that held.
fn phrase(n: &Note, f: &Facts) -> String {
    let (record, care, d) = (f.record, f.care, f.d);
    let current = &record.episodes[care.current];
    match n.block {
        Block::All(_) | Block::Any(_) | Block::Not(_) | Block::Mention(_) => String::new(),
        Block::Say(fact) => match fact {
            Fact::LegalStatus => legal_status_phrase(record, care, d),
            Fact::Placement => placement_phrase(record, care, d),
            Fact::CurrentPlacement => {
                format!("{} ({})", current.place.meaning(), current.place.code())
            }
            Fact::Match => match_words(f),
            Fact::Period => format!("in care {}", since_phrase(care.period_start, d)),
        },
        Block::LegalStatus(_) => legal_status_phrase(record, care, d),
        Block::Placement(set) => match set.as_slice() {
            [PlaceItem::Class(SettingClass::ConnectedPerson)] => "connected-person carers".into(),
            [PlaceItem::Class(c)] => format!("in {}", class_words(*c)),
            _ => format!("{} ({})", current.place.meaning(), current.place.code()),
        },
        Block::Provider(set) => {
            format!("with {}", providers_words(set, current.place_provider))
        }
        Block::Run(run) => {
            let start = n.date.unwrap_or(care.period_start);
            let subject = match &run.of {
                RunOf::LegalStatus(_) => {
                    format!("{} ({})", current.ls.meaning(), current.ls.code())
                }
                RunOf::Placement(set) if !run.every_provider.is_empty() => format!(
                    "in {} with {}",
                    places_words(set, current.place),
                    providers_words(&run.every_provider, current.place_provider)
                ),
                RunOf::Placement(_) => {
                    format!("{} ({})", current.place.meaning(), current.place.code())
                }
                RunOf::SameCarers => match run.every_placement.as_slice() {
                    [PlaceItem::Class(SettingClass::Foster)] => {
                        "with the same foster carers".into()
                    }
                    [PlaceItem::Class(SettingClass::ConnectedPerson)] => {
                        "with the same connected-person carers".into()
                    }
                    _ => "with the same carers".into(),
                },
                RunOf::Period => "in care".into(),
            };
            let mut words = format!("{subject} {}", since_phrase(start, d));
            if let Some(l) = run.longer_than {
                words.push_str(&format!(", longer than {l}"));
            }
            if let Some(s) = run.shorter_than {
                words.push_str(&format!(", shorter than {s}"));
            }
            words
        }
        Block::Reviews(count) => {
            let since = format!("since the period began on {}", dmy(care.period_start));
            match (count.at_least, n.date) {
                (Some(k), Some(kth)) => format!(
                    "{} review of this period of care held on {}; {} {since}",
                    ordinal(k),
                    dmy(kth),
                    plural(n.count, "review", "reviews")
                ),
                _ if n.count == 0 => format!("no review {since}"),
                _ => format!("{} {since}", plural(n.count, "review", "reviews")),
            }
        }
        Block::NextReview(next) => {
            let due = n.date.unwrap_or(d);
            let which = ordinal(next.number);
            if due < d {
                format!(
                    "{which} review was due on {} ({} ago), not yet held",
                    dmy(due),
                    span_between(due, d)
                )
            } else if due == d {
                format!("{which} review due today ({})", dmy(due))
            } else {
                format!(
                    "{which} review due on {} (in {})",
                    dmy(due),
                    span_between(d, due)
                )
            }
        }
        Block::NoPlan(true) => "no permanence plan agreed".into(),
        Block::NoPlan(false) | Block::Plan(_) => plan_words(n.block, f),
        Block::MatchAgreed(_) => match_words(f),
        Block::Achieved(true) => match n.date {
            Some(on) => format!("plan achieved on {}", dmy(on)),
            None => "plan achieved".into(),
        },
        Block::Achieved(false) => "plan not yet achieved".into(),
        Block::NoPr(true) => "no person has parental responsibility (NO_PR = Y)".into(),
        Block::PotentialSgo(true) => "carers exploring a special guardianship or child \
             arrangements order (POTENTIAL_SGO = Y)"
            .into(),
        Block::NoPr(false) | Block::PotentialSgo(false) => String::new(),
        Block::Moves(moves) => format!(
            "{} in the last {}",
            plural(n.count, "placement move", "placement moves"),
            moves.within
        ),
        Block::Age(_) => format!("aged {}", n.count),
        Block::OpenReferral(true) => match n.date {
            Some(made) => format!(
                "referred to the panel on {} ({} ago), not yet heard",
                dmy(made),
                span_between(made, d)
            ),
            None => String::new(),
        },
        Block::CarriedOver(true) => match n.date {
            Some(at) => format!("carried over by the panel at its meeting on {}", dmy(at)),
            None => String::new(),
        },
        Block::OpenReferral(false) | Block::CarriedOver(false) => String::new(),
    }
}

/// "a, b and c" / "a, b or c".
fn listed(items: &[String], last: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., end] => format!("{} {last} {end}", rest.join(", ")),
    }
}

fn place_item_words(item: &PlaceItem) -> String {
    match item {
        PlaceItem::Code(p) => format!("{} ({})", p.meaning(), p.code()),
        PlaceItem::Class(c) => class_words(*c).to_owned(),
    }
}

fn places_set_words(set: &[PlaceItem]) -> String {
    listed(&set.iter().map(place_item_words).collect::<Vec<_>>(), "or")
}

fn providers_set_words(set: &[ProviderItem], external: &[Provider]) -> String {
    let items: Vec<String> = set
        .iter()
        .map(|item| match item {
            ProviderItem::Code(p) => format!("{} ({})", p.meaning(), p.code()),
            ProviderItem::External => format!(
                "an external provider ({})",
                listed(
                    &external
                        .iter()
                        .map(|p| p.code().to_owned())
                        .collect::<Vec<_>>(),
                    "or"
                )
            ),
        })
        .collect();
    listed(&items, "or")
}

fn statuses_words(set: &[LegalStatusCode]) -> String {
    listed(
        &set.iter()
            .map(|c| format!("{} ({})", c.0.meaning(), c.0.code()))
            .collect::<Vec<_>>(),
        "or",
    )
}

fn kinds_words(set: &[PlanKindCode]) -> String {
    listed(
        &set.iter()
            .map(|k| k.0.label().to_owned())
            .collect::<Vec<_>>(),
        "or",
    )
}

/// What a cohort's blocks ask, as a chair would read it in the terms
/// ("legal status placement order granted (E1) for longer than 9
/// months"); `say` and `mention` add to a child's sentence only and are
/// not part of the condition.
pub fn describe_all(blocks: &[Block], external: &[Provider]) -> String {
    let parts: Vec<String> = blocks
        .iter()
        .map(|b| describe(b, external))
        .filter(|p| !p.is_empty())
        .collect();
    listed(&parts, "and")
}

/// One block's condition in words; empty for `say` and `mention`.
pub fn describe(block: &Block, external: &[Provider]) -> String {
    match block {
        Block::All(blocks) => describe_all(blocks, external),
        Block::Any(blocks) => {
            let parts: Vec<String> = blocks
                .iter()
                .map(|b| describe(b, external))
                .filter(|p| !p.is_empty())
                .collect();
            format!("either {}", listed(&parts, "or"))
        }
        Block::Not(inner) => match inner.as_ref() {
            Block::Placement(set) => format!("not in {}", places_set_words(set)),
            Block::LegalStatus(set) => format!("legal status not {}", statuses_words(set)),
            Block::Achieved(true) => "the plan not yet achieved".into(),
            Block::MatchAgreed(true) => "no long-term fostering match agreed".into(),
            other => format!("not ({})", describe(other, external)),
        },
        Block::Mention(_) | Block::Say(_) => String::new(),
        Block::LegalStatus(set) => format!("legal status {}", statuses_words(set)),
        Block::Placement(set) => format!("in {}", places_set_words(set)),
        Block::Provider(set) => format!("placed with {}", providers_set_words(set, external)),
        Block::Run(run) => {
            let mut words = match &run.of {
                RunOf::LegalStatus(set) => {
                    format!("legal status {} without a break", statuses_words(set))
                }
                RunOf::Placement(set) => format!("in {} without a break", places_set_words(set)),
                RunOf::SameCarers => "with the same carers".into(),
                RunOf::Period => "in care".into(),
            };
            if !run.every_placement.is_empty() {
                words.push_str(&format!(
                    ", every placement of it in {}",
                    places_set_words(&run.every_placement)
                ));
            }
            if !run.every_provider.is_empty() {
                words.push_str(&format!(
                    ", every placement of it with {}",
                    providers_set_words(&run.every_provider, external)
                ));
            }
            // "in care for longer than 6 months", but after a clause about
            // every placement, a comma keeps the duration with the run.
            let qualified = !run.every_placement.is_empty() || !run.every_provider.is_empty();
            let sep = if qualified { ", " } else { " " };
            if let Some(l) = run.longer_than {
                words.push_str(&format!("{sep}for longer than {l}"));
            }
            if let Some(s) = run.shorter_than {
                words.push_str(&format!("{sep}for less than {s}"));
            }
            words
        }
        Block::Reviews(c) => {
            let mut parts = Vec::new();
            if let Some(k) = c.at_least {
                parts.push(format!("{k} or more"));
            }
            if let Some(k) = c.fewer_than {
                parts.push(format!("fewer than {k}"));
            }
            format!(
                "{} reviews in the current period of care",
                listed(&parts, "and")
            )
        }
        Block::NextReview(next) => {
            let mut words = format!("the next review the {}", ordinal(next.number));
            if let Some(w) = next.due_within {
                words.push_str(&format!(", due within {w}"));
            }
            if next.overdue {
                words.push_str(", and overdue");
            }
            words
        }
        Block::NoPlan(true) => "no permanence plan agreed".into(),
        Block::NoPlan(false) => "a permanence plan agreed".into(),
        Block::Plan(plan) => {
            let kinds = kinds_words(&plan.kind);
            let mut words = match (plan.plan_as, plan.kind.is_empty()) {
                (PlanAs::Primary, true) => "a plan".to_owned(),
                (PlanAs::Primary, false) => format!("a plan of {kinds}"),
                (PlanAs::Contingency, true) => "a contingency plan".to_owned(),
                (PlanAs::Contingency, false) => format!("with {kinds} as the contingency plan"),
                (PlanAs::Either, true) => "a plan or a contingency plan".to_owned(),
                (PlanAs::Either, false) => {
                    format!("with {kinds} as the plan or the contingency plan")
                }
            };
            if !plan.except.is_empty() {
                words.push_str(&format!(" other than {}", kinds_words(&plan.except)));
            }
            // "with adoption as the contingency plan, agreed ...": the comma
            // keeps "agreed" with the plan, not with the contingency.
            if !plan.plan_as.is_primary() {
                words.push(',');
            }
            words.push_str(" agreed");
            if let Some(o) = plan.older_than {
                words.push_str(&format!(" more than {o} ago"));
            }
            if let Some(k) = plan.after_review {
                words.push_str(&format!(" after the {} review", ordinal(k)));
            }
            match plan.match_agreed {
                Some(true) => words.push_str(", with a long-term fostering match agreed"),
                Some(false) => words.push_str(", with no long-term fostering match agreed"),
                None => {}
            }
            match plan.achieved {
                Some(true) => words.push_str(", and achieved"),
                Some(false) => words.push_str(", not yet achieved"),
                None => {}
            }
            words
        }
        Block::MatchAgreed(true) => "a long-term fostering match agreed".into(),
        Block::MatchAgreed(false) => "no long-term fostering match agreed".into(),
        Block::Achieved(true) => "the plan achieved".into(),
        Block::Achieved(false) => "the plan not yet achieved".into(),
        Block::NoPr(true) => "no person with parental responsibility (NO_PR = Y)".into(),
        Block::NoPr(false) => "someone with parental responsibility".into(),
        Block::PotentialSgo(true) => {
            "carers exploring a special guardianship or child arrangements order".into()
        }
        Block::PotentialSgo(false) => {
            "carers not exploring a special guardianship or child arrangements order".into()
        }
        Block::Moves(m) => format!(
            "{} or more placement moves (a change of carers) in the last {}",
            m.at_least, m.within
        ),
        Block::Age(a) => {
            let mut parts = Vec::new();
            if let Some(b) = a.below {
                parts.push(format!("younger than {b}"));
            }
            if let Some(o) = a.above {
                parts.push(format!("older than {o}"));
            }
            format!("aged {}", listed(&parts, "and"))
        }
        Block::OpenReferral(true) => "referred to the panel and not yet heard".into(),
        Block::OpenReferral(false) => "no open referral to the panel".into(),
        Block::CarriedOver(true) => "carried over by the panel at an earlier meeting".into(),
        Block::CarriedOver(false) => "not carried over by the panel".into(),
    }
}

/// "plan of long-term fostering agreed on 01/02/2024 (1 year ago), no
/// long-term fostering match agreed".
fn plan_words(block: &Block, f: &Facts) -> String {
    let Some((kind, agreed)) = agreed_plan(f.record, f.d) else {
        return String::new();
    };
    let mut words = format!(
        "plan of {} agreed on {} ({} ago)",
        kind.label(),
        dmy(agreed),
        span_between(agreed, f.d)
    );
    let Block::Plan(plan) = block else {
        return words;
    };
    // The block reads the contingency plan: say it (a block on the plan
    // alone says what it always said).
    if let Some(contingency) = agreed_contingency(f.record, f.d)
        && !plan.plan_as.is_primary()
    {
        words.push_str(&format!(
            ", with {} as the contingency plan",
            contingency.label()
        ));
    }
    if let Some(k) = plan.after_review {
        words.push_str(&format!(", after the {} review", ordinal(k)));
    }
    if plan.match_agreed.is_some() {
        words.push_str(", ");
        words.push_str(&match_words(f));
    }
    match (plan.achieved, achieved_on(f.record, f.d)) {
        (Some(true), Some(on)) => words.push_str(&format!(", achieved on {}", dmy(on))),
        (Some(false), _) => words.push_str(", not yet achieved"),
        _ => {}
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cohorts::{CarriedOver, Referral};
    use crate::rules::testkit::{child, date};

    fn rule(since: &str, when: &str) -> CohortRule {
        toml::from_str(&format!(
            "id = \"test\"\ntitle = \"T\"\nshort_title = \"T\"\nsince = \"{since}\"\nwhen = {when}"
        ))
        .unwrap_or_else(|e| panic!("{when}: {e}"))
    }

    /// Since and sentence when the child is in at `d`.
    fn check_with(
        since: &str,
        when: &str,
        record: &ChildRecord,
        d: &str,
        routes: &PanelRoutes,
    ) -> Option<(NaiveDate, String)> {
        let d = date(d);
        let care = care::care_at(record, d)?;
        let r = rule(since, when);
        let facts = Facts {
            record,
            care: &care,
            d,
            external: &[Provider::PR2, Provider::PR3, Provider::PR4, Provider::PR5],
            routes,
        };
        evaluate(&r, &facts, &mut Trace::default())
    }

    fn check(
        since: &str,
        when: &str,
        record: &ChildRecord,
        d: &str,
    ) -> Option<(NaiveDate, String)> {
        check_with(since, when, record, d, &PanelRoutes::default())
    }

    fn holds(when: &str, record: &ChildRecord, d: &str) -> bool {
        check("period", when, record, d).is_some()
    }

    fn foster_c2() -> ChildRecord {
        child("01/03/2012")
            .ep("01/01/2020  S  C2  U6  PR1  01/03/2021")
            .ep("01/03/2021  P  C2  U3  PR4  open")
            .build()
    }

    #[test]
    fn legal_status_placement_and_provider_sets() {
        let r = foster_c2();
        assert!(holds(
            "[{ legal_status = [\"C1\", \"C2\"] }]",
            &r,
            "01/06/2021"
        ));
        assert!(!holds("[{ legal_status = [\"E1\"] }]", &r, "01/06/2021"));
        assert!(holds("[{ placement = [\"foster\"] }]", &r, "01/06/2021"));
        assert!(holds("[{ placement = [\"U3\"] }]", &r, "01/06/2021"));
        assert!(!holds(
            "[{ placement = [\"U6\", \"residential\"] }]",
            &r,
            "01/06/2021"
        ));
        assert!(holds("[{ provider = [\"external\"] }]", &r, "01/06/2021"));
        assert!(!holds("[{ provider = [\"PR1\"] }]", &r, "01/06/2021"));
        // Before the move the provider was the council's own.
        assert!(holds("[{ provider = [\"PR1\"] }]", &r, "01/02/2021"));
        let (_, words) = check(
            "period",
            "[{ placement = [\"connected-person\"] }, { provider = [\"external\"] }]",
            &r,
            "01/06/2021",
        )
        .unwrap();
        assert_eq!(words, "Connected-person carers; with an external provider");
    }

    #[test]
    fn a_run_longer_than_exactly_n_months_is_not_in() {
        let r = child("01/03/2012")
            .ep("01/01/2024  S  C2  U6  PR1  14/02/2025")
            .ep("14/02/2025  L  E1  U6  PR1  open")
            .build();
        let when = "[{ run = { legal_status = [\"E1\"], longer_than = \"9 months\" } }]";
        assert_eq!(
            check("run", when, &r, "14/11/2025"),
            None,
            "exactly 9 months"
        );
        let (since, words) = check("run", when, &r, "15/11/2025").unwrap();
        assert_eq!(since, date("14/02/2025"));
        assert_eq!(
            words,
            "Placement order granted (E1) since 14/02/2025 (9 months 1 day), longer than 9 months"
        );
        let shorter = "[{ run = { legal_status = [\"E1\"], shorter_than = \"9 months\" } }]";
        assert!(check("run", shorter, &r, "13/11/2025").is_some());
        assert!(check("run", shorter, &r, "14/11/2025").is_none());
    }

    #[test]
    fn a_run_in_working_days_counts_bank_holidays_out() {
        // Period from Fri 19/12/2025: 10 working days end on 07/01/2026.
        let r = child("01/03/2012")
            .ep("19/12/2025  S  V2  U6  PR1  open")
            .build();
        let when = "[{ run = { period = true, longer_than = \"10 working days\" } }]";
        assert!(check("run", when, &r, "07/01/2026").is_none());
        let (_, words) = check("run", when, &r, "08/01/2026").unwrap();
        assert_eq!(
            words,
            "In care since 19/12/2025 (20 days), longer than 10 working days"
        );
    }

    #[test]
    fn a_run_with_every_episode_in_a_set() {
        // Residential from 01/01/2022, in-house until 01/06/2022.
        let began_in_house = child("01/03/2008")
            .ep("01/01/2022  S  C2  K2  PR1  01/06/2022")
            .ep("01/06/2022  P  C2  K2  PR4  open")
            .build();
        let external = child("01/03/2008")
            .ep("01/01/2022  S  C2  K2  PR4  open")
            .build();
        let when = "[{ run = { placement = [\"residential\"], every_provider = [\"external\"], longer_than = \"12 months\" } }]";
        assert!(check("run", when, &began_in_house, "01/06/2024").is_none());
        let (_, words) = check("run", when, &external, "01/06/2024").unwrap();
        assert!(
            words.starts_with("In residential care with an external provider since 01/01/2022"),
            "{words}"
        );
        let same = "[{ run = { same_carers = true, every_placement = [\"foster\"] } }]";
        assert!(check("run", same, &external, "01/06/2024").is_none());
        let (since, words) = check("run", same, &foster_c2(), "01/06/2021").unwrap();
        assert_eq!(since, date("01/03/2021"));
        assert!(
            words.starts_with("With the same foster carers since 01/03/2021"),
            "{words}"
        );
    }

    #[test]
    fn reviews_count_within_the_current_period_only() {
        // Two reviews in an earlier period, two in this one.
        let r = child("01/03/2012")
            .ep("01/01/2019  S  V2  U6  PR1  01/06/2019")
            .ep("01/01/2021  S  C2  U6  PR1  open")
            .reviews(&["15/01/2019", "15/04/2019", "20/01/2021", "15/04/2021"])
            .build();
        assert!(!holds("[{ reviews = { at_least = 3 } }]", &r, "01/06/2021"));
        assert!(holds(
            "[{ reviews = { at_least = 2, fewer_than = 3 } }]",
            &r,
            "01/06/2021"
        ));
        let (since, words) = check(
            "review",
            "[{ reviews = { at_least = 2 } }]",
            &r,
            "01/06/2021",
        )
        .unwrap();
        assert_eq!(since, date("15/04/2021"));
        assert_eq!(
            words,
            "Second review of this period of care held on 15/04/2021; 2 reviews since the period began on 01/01/2021"
        );
        let (_, words) = check(
            "period",
            "[{ reviews = { fewer_than = 1 } }]",
            &r,
            "10/01/2021",
        )
        .unwrap();
        assert_eq!(words, "No review since the period began on 01/01/2021");
    }

    #[test]
    fn the_next_review_due_within_n_days_is_in_and_n_plus_one_is_out() {
        // First review 20/01/2021: the second is due 20/04/2021.
        let r = child("01/03/2012")
            .ep("01/01/2021  S  C2  U6  PR1  open")
            .reviews(&["20/01/2021"])
            .build();
        let within = "[{ next_review = { number = 2, due_within = \"4 weeks\" } }]";
        assert!(holds(within, &r, "23/03/2021"), "due in exactly 28 days");
        assert!(!holds(within, &r, "22/03/2021"), "due in 29 days");
        let (_, words) = check("period", within, &r, "23/03/2021").unwrap();
        assert_eq!(words, "Second review due on 20/04/2021 (in 28 days)");
        let overdue = "[{ next_review = { number = 2, overdue = true } }]";
        assert!(
            !holds(overdue, &r, "20/04/2021"),
            "due today is not overdue"
        );
        let (_, words) = check("period", overdue, &r, "21/04/2021").unwrap();
        assert_eq!(
            words,
            "Second review was due on 20/04/2021 (1 day ago), not yet held"
        );
        assert!(!holds(
            "[{ next_review = { number = 3 } }]",
            &r,
            "21/04/2021"
        ));
    }

    #[test]
    fn the_plan_blocks() {
        let planned = child("01/03/2012")
            .ep("01/01/2021  S  C2  U6  PR1  open")
            .reviews(&["20/01/2021", "15/04/2021"])
            .plan("long-term-fostering", "01/05/2021")
            .build();
        let none = child("01/03/2012")
            .ep("01/01/2021  S  C2  U6  PR1  open")
            .build();
        assert!(holds("[{ no_plan = true }]", &none, "01/06/2021"));
        assert!(!holds("[{ no_plan = true }]", &planned, "01/06/2021"));
        assert!(
            holds("[{ no_plan = true }]", &planned, "30/04/2021"),
            "not yet agreed"
        );
        assert!(holds(
            "[{ plan = { except = [\"adoption\"] } }]",
            &planned,
            "01/06/2021"
        ));
        assert!(!holds(
            "[{ plan = { kind = [\"adoption\"] } }]",
            &planned,
            "01/06/2021"
        ));
        let older = "[{ plan = { older_than = \"6 months\", achieved = false } }]";
        assert!(!holds(older, &planned, "01/11/2021"), "exactly 6 months");
        let (since, words) = check("plan", older, &planned, "02/11/2021").unwrap();
        assert_eq!(since, date("01/05/2021"));
        assert_eq!(
            words,
            "Plan of long-term fostering agreed on 01/05/2021 (6 months 1 day ago), not yet achieved"
        );
        assert!(holds(
            "[{ plan = { after_review = 2 } }]",
            &planned,
            "01/06/2021"
        ));
        assert!(!holds(
            "[{ plan = { after_review = 3 } }]",
            &planned,
            "01/06/2021"
        ));
        let achieved = child("01/03/2012")
            .ep("01/01/2021  S  C2  U4  PR1  open")
            .plan("long-term-fostering", "01/05/2021")
            .achieved("01/09/2021")
            .build();
        assert!(!holds(older, &achieved, "02/11/2021"));
        assert!(holds("[{ achieved = true }]", &achieved, "01/09/2021"));
        assert!(!holds("[{ achieved = true }]", &achieved, "31/08/2021"));
        // U4 is a long-term foster placement: matched without MATCH_AGREED.
        assert!(holds("[{ match_agreed = true }]", &achieved, "01/06/2021"));
        assert!(!holds("[{ match_agreed = true }]", &planned, "01/06/2021"));
    }

    #[test]
    fn the_plan_block_reads_the_contingency_plan_when_asked() {
        // Long-term fostering, with adoption as the contingency plan.
        let fostering_then_adoption = child("01/03/2019")
            .ep("01/01/2021  S  C2  U6  PR1  open")
            .plan("long-term-fostering", "01/05/2021")
            .contingency("adoption")
            .build();
        let adoption_alone = child("01/03/2019")
            .ep("01/01/2021  S  E1  U6  PR1  open")
            .plan("adoption", "01/05/2021")
            .build();
        let fostering_alone = child("01/03/2019")
            .ep("01/01/2021  S  C2  U6  PR1  open")
            .plan("long-term-fostering", "01/05/2021")
            .build();
        let primary = "[{ plan = { kind = [\"adoption\"] } }]";
        let contingency = "[{ plan = { kind = [\"adoption\"], as = \"contingency\" } }]";
        let either = "[{ plan = { kind = [\"adoption\"], as = \"either\" } }]";
        let at = "01/06/2021";
        // The default reads the plan only, as every preset did before.
        assert!(!holds(primary, &fostering_then_adoption, at));
        assert!(holds(primary, &adoption_alone, at));
        assert!(holds(contingency, &fostering_then_adoption, at));
        assert!(!holds(contingency, &adoption_alone, at));
        assert!(holds(either, &fostering_then_adoption, at));
        assert!(holds(either, &adoption_alone, at));
        assert!(!holds(either, &fostering_alone, at));
        // The contingency is agreed with the plan: not before it.
        assert!(!holds(contingency, &fostering_then_adoption, "30/04/2021"));
        // "Other than adoption" as the contingency: out when it is adoption.
        assert!(!holds(
            "[{ plan = { except = [\"adoption\"], as = \"contingency\" } }]",
            &fostering_then_adoption,
            at
        ));
        let (since, words) = check("plan", contingency, &fostering_then_adoption, at).unwrap();
        assert_eq!(since, date("01/05/2021"));
        assert_eq!(
            words,
            "Plan of long-term fostering agreed on 01/05/2021 (1 month ago), \
             with adoption as the contingency plan"
        );
        let (_, words) = check("plan", either, &adoption_alone, at).unwrap();
        assert_eq!(words, "Plan of adoption agreed on 01/05/2021 (1 month ago)");
        // A block on the plan alone does not mention the contingency.
        let (_, words) = check("plan", "[{ plan = {} }]", &fostering_then_adoption, at).unwrap();
        assert_eq!(
            words,
            "Plan of long-term fostering agreed on 01/05/2021 (1 month ago)"
        );
    }

    #[test]
    fn the_plan_block_says_which_plan_it_reads() {
        let said = |when: &str| describe_all(&rule("plan", when).when, &[]);
        assert_eq!(
            said("[{ plan = { kind = [\"adoption\"] } }]"),
            "a plan of adoption agreed"
        );
        assert_eq!(
            said("[{ plan = { kind = [\"adoption\"], as = \"contingency\" } }]"),
            "with adoption as the contingency plan, agreed"
        );
        assert_eq!(
            said(
                "[{ plan = { kind = [\"adoption\"], as = \"either\", older_than = \"6 months\" } }]"
            ),
            "with adoption as the plan or the contingency plan, agreed more than 6 months ago"
        );
        assert_eq!(
            said("[{ plan = { as = \"contingency\" } }]"),
            "a contingency plan, agreed"
        );
        let wrong = toml::from_str::<CohortRule>(
            "id = \"t\"\ntitle = \"T\"\nshort_title = \"T\"\nsince = \"plan\"\nwhen = [{ plan = { as = \"backup\" } }]",
        )
        .unwrap_err()
        .to_string();
        assert!(
            wrong.contains("backup") && wrong.contains("either"),
            "{wrong}"
        );
    }

    #[test]
    fn flags_moves_and_age() {
        let r = child("10/06/2016")
            .ep("01/01/2020  S  C2  U6  PR1  10/06/2020")
            .ep("10/06/2020  P  C2  U4  PR1  01/09/2020")
            .ep("01/09/2020  B  E1  U5  PR1  01/10/2020")
            .ep("01/10/2020  T  E1  U6  PR1  open")
            .no_pr()
            .potential_sgo()
            .build();
        assert!(holds(
            "[{ no_pr = true }, { potential_sgo = true }]",
            &r,
            "01/06/2021"
        ));
        assert!(!holds("[{ no_pr = false }]", &r, "01/06/2021"));
        // Moves on 10/06/2020 (P) and 01/09/2020 (B); T is not a move.
        let two = "[{ moves = { at_least = 2, within = \"12 months\" } }]";
        assert!(holds(two, &r, "09/06/2021"));
        assert!(
            !holds(two, &r, "10/06/2021"),
            "a move exactly 12 months ago is out"
        );
        let (_, words) = check("period", two, &r, "09/06/2021").unwrap();
        assert_eq!(words, "2 placement moves in the last 12 months");
        // Five on 10/06/2021.
        let under_5 = "[{ age = { below = 5 } }]";
        assert!(holds(under_5, &r, "09/06/2021"));
        assert!(!holds(under_5, &r, "10/06/2021"), "on the fifth birthday");
        assert!(holds("[{ age = { above = 4 } }]", &r, "10/06/2021"));
        assert_eq!(
            check("period", under_5, &r, "09/06/2021").unwrap().1,
            "Aged 4"
        );
    }

    #[test]
    fn the_panels_routes() {
        let r = foster_c2();
        let routes = PanelRoutes {
            referrals: vec![
                Referral {
                    child: "C1".into(),
                    made_on: date("01/04/2021"),
                    heard_on: Some(date("01/05/2021")),
                },
                Referral {
                    child: "C1".into(),
                    made_on: date("10/05/2021"),
                    heard_on: None,
                },
            ],
            carried_over: vec![CarriedOver {
                child: "C1".into(),
                meeting: date("28/05/2021"),
            }],
        };
        let (since, words) = check_with(
            "referral",
            "[{ open_referral = true }]",
            &r,
            "01/06/2021",
            &routes,
        )
        .unwrap();
        assert_eq!(since, date("10/05/2021"));
        assert_eq!(
            words,
            "Referred to the panel on 10/05/2021 (22 days ago), not yet heard"
        );
        let (since, _) = check_with(
            "referral",
            "[{ open_referral = true }]",
            &r,
            "20/04/2021",
            &routes,
        )
        .unwrap();
        assert_eq!(since, date("01/04/2021"), "open until heard");
        let carried = "[{ carried_over = true }]";
        assert!(check_with("carried-over", carried, &r, "27/05/2021", &routes).is_none());
        assert_eq!(
            check_with("carried-over", carried, &r, "28/05/2021", &routes)
                .unwrap()
                .0,
            date("28/05/2021")
        );
    }

    #[test]
    fn any_speaks_for_its_first_branch_not_is_silent_mention_never_filters() {
        let r = foster_c2();
        let when = "[
          { not = { placement = [\"residential\"] } },
          { any = [{ legal_status = [\"E1\"] }, { all = [{ placement = [\"U3\"] }, { say = \"period\" }] }, { legal_status = [\"C2\"] }] },
          { mention = { no_pr = true } },
          { mention = { provider = [\"external\"] } },
        ]";
        let (_, words) = check("period", when, &r, "01/06/2021").unwrap();
        assert_eq!(
            words,
            "Foster placement with relative or friend (U3); in care since 01/01/2020 (1 year 5 months); with an external provider"
        );
        // The since comes from the branch that held, never from a mention.
        let since_run = "[{ any = [{ run = { legal_status = [\"D1\"] } }, { run = { period = true } }] }, { mention = { run = { same_carers = true } } }]";
        assert_eq!(
            check("run", since_run, &r, "01/06/2021").unwrap().0,
            date("01/01/2020")
        );
    }

    #[test]
    fn a_condition_reads_back_in_words() {
        let r = rule(
            "run",
            "[{ not = { placement = [\"placed-for-adoption\"] } }, { run = { same_carers = true, every_placement = [\"foster\"], longer_than = \"12 months\" } }, { say = \"placement\" }, { plan = { except = [\"adoption\"], older_than = \"6 months\", achieved = false } }, { any = [{ age = { below = 5 } }, { moves = { at_least = 2, within = \"12 months\" } }] }]",
        );
        assert_eq!(
            describe_all(&r.when, &[Provider::PR4]),
            "not in placement for adoption, with the same carers, every placement of it in foster care, for longer than 12 months, \
             a plan other than adoption agreed more than 6 months ago, not yet achieved and \
             either aged younger than 5 or 2 or more placement moves (a change of carers) in the last 12 months"
        );
    }

    #[test]
    fn a_rule_saves_and_reads_back() {
        let r = rule(
            "run",
            "[{ run = { same_carers = true, every_placement = [\"foster\"], longer_than = \"12 months\" } }, { plan = { except = [\"adoption\"], older_than = \"6 months\", as = \"either\" } }, { mention = { moves = { at_least = 2, within = \"1 year\" } } }]",
        );
        let saved = toml::to_string(&r).unwrap();
        let back: CohortRule = toml::from_str(&saved).unwrap();
        assert_eq!(back, r, "{saved}");
    }
}
