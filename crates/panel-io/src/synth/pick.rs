//! Small random helpers shared by the generators: weighted choice, day
//! ranges, and date arithmetic that saturates instead of panicking.

use chrono::{NaiveDate, TimeDelta};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

pub type Rng = ChaCha8Rng;

/// One of `items`, each with the given weight. An empty list or all-zero
/// weights give the first item (callers always pass constant, non-empty
/// tables, so that branch is only a guard against a panic).
pub fn weighted<T: Copy>(rng: &mut Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| *w).sum();
    if total == 0 {
        return items[0].0;
    }
    let mut ticket = rng.random_range(0..total);
    for (item, weight) in items {
        if ticket < *weight {
            return *item;
        }
        ticket -= weight;
    }
    items[items.len() - 1].0
}

/// A whole number of days in `lo..=hi`; `lo` when the range is empty.
pub fn days(rng: &mut Rng, lo: i64, hi: i64) -> i64 {
    if hi <= lo {
        lo
    } else {
        rng.random_range(lo..=hi)
    }
}

pub fn chance(rng: &mut Rng, p: f64) -> bool {
    rng.random_bool(p.clamp(0.0, 1.0))
}

/// `d` moved by `n` days, saturating at chrono's limits.
pub fn plus(d: NaiveDate, n: i64) -> NaiveDate {
    d.checked_add_signed(TimeDelta::days(n))
        .unwrap_or(if n < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
}

/// Days from `a` to `b` (negative when `b` is earlier).
pub fn between(a: NaiveDate, b: NaiveDate) -> i64 {
    (b - a).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn weighted_never_picks_a_zero_weight() {
        let mut rng = Rng::seed_from_u64(7);
        for _ in 0..1000 {
            assert_ne!(weighted(&mut rng, &[("a", 3), ("b", 0), ("c", 1)]), "b");
        }
    }

    #[test]
    fn days_tolerates_an_empty_range() {
        let mut rng = Rng::seed_from_u64(7);
        assert_eq!(days(&mut rng, 5, 2), 5);
        let d = days(&mut rng, 2, 5);
        assert!((2..=5).contains(&d));
    }
}
