//! Placements as the return records them: the four fields VAL compares to
//! decide whether a placement changed (`PLACE`, `PLACE_PROVIDER`, `PL_POST`,
//! `URN`), with providers and URNs kept consistent with the placement type
//! (ssda903.md 3.7, VAL 213/222/526-531/550).

use chrono::NaiveDate;

use super::pick::{Rng, chance, days, weighted};
use crate::model::{Place, Provider};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub place: Place,
    pub provider: Option<Provider>,
    pub pl_post: Option<String>,
    pub urn: Option<String>,
}

/// Fictional-looking postcodes in the two councils' areas. Only the format
/// is real; the units are random.
const OUTWARD: &[&str] = &[
    "TF1", "TF2", "TF3", "TF4", "TF5", "TF7", "TF10", "SN10", "SN12", "SN14", "SN15", "SP1", "SP2",
    "BA12", "BA14", "WV4", "SY1",
];
/// Outward codes of Wiltshire alone, for a council's annual returns.
pub const WILTSHIRE: &[&str] = &[
    "SN10", "SN12", "SN14", "SN15", "SN16", "SP1", "SP2", "SP4", "BA12", "BA14", "BA15",
];
/// Outward codes of Telford and Wrekin and its neighbours.
const TELFORD: &[&str] = &[
    "TF1", "TF2", "TF3", "TF4", "TF5", "TF7", "TF10", "WV4", "SY1",
];
/// Letters allowed in the unit part of a postcode (no C I K M O V).
const UNIT_LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";

/// A home postcode in either council's area.
pub fn postcode(rng: &mut Rng) -> String {
    postcode_in(rng, OUTWARD)
}

/// A postcode in one of the `outward` codes.
pub fn postcode_in(rng: &mut Rng, outward: &[&str]) -> String {
    let outward = outward[rng_index(rng, outward.len())];
    let sector = days(rng, 1, 9);
    let a = UNIT_LETTERS[rng_index(rng, UNIT_LETTERS.len())] as char;
    let b = UNIT_LETTERS[rng_index(rng, UNIT_LETTERS.len())] as char;
    format!("{outward} {sector}{a}{b}")
}

/// The outward codes of the area `home_post` lies in.
fn area_of(home_post: &str) -> &'static [&'static str] {
    if TELFORD
        .iter()
        .any(|o| home_post.split(' ').next() == Some(o))
    {
        TELFORD
    } else {
        WILTSHIRE
    }
}

/// A postcode in the area of `home_post`, different from every one in
/// `avoid`, so that a change of placement is always visible in the four
/// fields VAL compares.
pub fn fresh_postcode(rng: &mut Rng, home_post: &str, avoid: &[Option<&str>]) -> String {
    let area = area_of(home_post);
    loop {
        let p = postcode_in(rng, area);
        if !avoid.contains(&Some(p.as_str())) {
            return p;
        }
    }
}

fn rng_index(rng: &mut Rng, len: usize) -> usize {
    usize::try_from(days(rng, 0, len as i64 - 1)).unwrap_or(0)
}

/// An Ofsted-style unique reference number ("SC" and six digits).
pub fn urn(rng: &mut Rng) -> String {
    format!("SC{:06}", days(rng, 100_000, 999_999))
}

/// Settings for which VAL 222 requires a blank URN.
fn urn_must_be_blank(place: Place) -> bool {
    use Place::*;
    matches!(
        place,
        H5 | P1 | P2 | P3 | R1 | R2 | R5 | T0 | T1 | T2 | T3 | T4 | Z1 | Z11 | Z12 | Z13 | Z14
    )
}

/// A new placement of type `place` with `provider`, away from `home_post`
/// and from the `previous` placement's address.
pub fn new_placement(
    rng: &mut Rng,
    place: Place,
    provider: Provider,
    home_post: &str,
    previous: Option<&Placement>,
) -> Placement {
    if place == Place::P1 {
        // With parents: at home, the parents' own "provision", no URN.
        return Placement {
            place,
            provider: Some(Provider::PR0),
            pl_post: Some(home_post.to_owned()),
            urn: None,
        };
    }
    let prev_post = previous.and_then(|p| p.pl_post.as_deref());
    Placement {
        place,
        provider: Some(provider),
        pl_post: Some(fresh_postcode(
            rng,
            home_post,
            &[Some(home_post), prev_post],
        )),
        urn: (!urn_must_be_blank(place)).then(|| urn(rng)),
    }
}

/// Foster care with new carers. `kin` picks relatives or friends (U1-U3),
/// `long_term` the long-term codes (U1, U4).
pub fn foster(
    rng: &mut Rng,
    kin: bool,
    long_term: bool,
    home_post: &str,
    previous: Option<&Placement>,
) -> Placement {
    let place = match (kin, long_term) {
        (true, true) => Place::U1,
        (true, false) => weighted(rng, &[(Place::U3, 9), (Place::U2, 1)]),
        (false, true) => Place::U4,
        (false, false) => weighted(rng, &[(Place::U6, 40), (Place::U5, 1)]),
    };
    let provider = if kin {
        weighted(rng, &[(Provider::PR1, 9), (Provider::PR2, 1)])
    } else {
        weighted(
            rng,
            &[
                (Provider::PR1, 12),
                (Provider::PR4, 6),
                (Provider::PR5, 1),
                (Provider::PR2, 1),
            ],
        )
    };
    new_placement(rng, place, provider, home_post, previous)
}

/// Foster care with carers who are also approved adopters (fostering for
/// adoption), the usual first home of a baby on the adoption pathway.
pub fn foster_for_adoption(rng: &mut Rng, home_post: &str) -> Placement {
    let provider = weighted(rng, &[(Provider::PR1, 4), (Provider::PR5, 1)]);
    new_placement(rng, Place::U5, provider, home_post, None)
}

/// A children's home or other residential setting. `external` forces an
/// external provider (PR2, PR4, PR5).
pub fn residential(
    rng: &mut Rng,
    external: bool,
    home_post: &str,
    previous: Option<&Placement>,
) -> Placement {
    let place = weighted(rng, &[(Place::K2, 16), (Place::R1, 2), (Place::S1, 1)]);
    let provider = if external {
        weighted(
            rng,
            &[(Provider::PR4, 14), (Provider::PR5, 3), (Provider::PR2, 2)],
        )
    } else {
        weighted(
            rng,
            &[
                (Provider::PR4, 14),
                (Provider::PR1, 4),
                (Provider::PR5, 2),
                (Provider::PR2, 1),
            ],
        )
    };
    new_placement(rng, place, provider, home_post, previous)
}

/// Semi-independent accommodation for a 16 or 17 year old: H5 before the
/// 2024/25 collection, registered supported accommodation (K3) after.
pub fn semi_independent(
    rng: &mut Rng,
    on: NaiveDate,
    home_post: &str,
    previous: Option<&Placement>,
) -> Placement {
    let k3_from = NaiveDate::from_ymd_opt(2024, 4, 1).unwrap_or(NaiveDate::MIN);
    let place = if on >= k3_from { Place::K3 } else { Place::H5 };
    let provider = weighted(rng, &[(Provider::PR4, 5), (Provider::PR5, 1)]);
    let placement = new_placement(rng, place, provider, home_post, previous);
    if place == Place::H5 && on >= h5_urn_from() {
        // Registered with Ofsted from 28/10/2023 (VAL 230).
        return Placement {
            urn: Some(urn(rng)),
            ..placement
        };
    }
    placement
}

/// The day from which semi-independent accommodation (H5) needs an Ofsted
/// URN (VAL 230).
pub fn h5_urn_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 10, 28).unwrap_or(NaiveDate::MAX)
}

/// The last day semi-independent accommodation (H5) is recorded.
pub fn last_h5_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 31).unwrap_or(NaiveDate::MAX)
}

/// Placed for adoption. With the current carers (A5 from a fostering-for-
/// adoption or foster home, a "T" change) the address stays; with new
/// adopters (A6) everything is new.
pub fn adoptive(
    rng: &mut Rng,
    current: &Placement,
    with_current_carers: bool,
    home_post: &str,
) -> Placement {
    if with_current_carers {
        let provider = match current.provider {
            Some(p @ (Provider::PR1 | Provider::PR2 | Provider::PR5)) => p,
            _ => Provider::PR1,
        };
        Placement {
            place: Place::A5,
            provider: Some(provider),
            pl_post: current.pl_post.clone(),
            urn: current.urn.clone(),
        }
    } else {
        let provider = weighted(
            rng,
            &[(Provider::PR1, 6), (Provider::PR2, 2), (Provider::PR5, 2)],
        );
        new_placement(rng, Place::A6, provider, home_post, Some(current))
    }
}

/// The same carers, now recorded as long-term (U6 to U4, U3 to U1): a "T"
/// change, or "U" together with a new legal status. `None` when the
/// placement has no long-term form.
pub fn made_long_term(current: &Placement) -> Option<Placement> {
    let place = match current.place {
        Place::U6 | Place::U5 => Place::U4,
        Place::U3 | Place::U2 => Place::U1,
        _ => return None,
    };
    Some(Placement {
        place,
        ..current.clone()
    })
}

/// Foster care of any kind (U1-U6).
pub fn is_foster(place: Place) -> bool {
    use Place::*;
    matches!(place, U1 | U2 | U3 | U4 | U5 | U6)
}

pub fn is_kin(place: Place) -> bool {
    matches!(place, Place::U1 | Place::U2 | Place::U3)
}

pub fn is_adoptive(place: Place) -> bool {
    matches!(place, Place::A3 | Place::A4 | Place::A5 | Place::A6)
}

pub fn is_residential(place: Place) -> bool {
    matches!(
        place,
        Place::K1 | Place::K2 | Place::R1 | Place::R2 | Place::S1
    )
}

/// Whether a new foster placement should be with relatives or friends.
pub fn kin_share(rng: &mut Rng) -> bool {
    chance(rng, 0.2)
}
