//! Plain data types of the domain. No I/O.

pub mod codes;
pub mod extract;
pub mod outcome;
pub mod panel;
pub mod schema903;

pub use codes::*;
pub use extract::*;
pub use outcome::{
    Direction, FinancialCommitment, Outcome, OutcomeRecord, PaymentPeriod, Pence, SignOffOutcome,
};
pub use panel::*;
pub mod cohort;
pub use cohort::CohortId;
