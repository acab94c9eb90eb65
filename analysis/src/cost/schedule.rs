//! Runs a month of an EventBridge schedule expression: the grammar lives with the template
//! vocabulary (`ironcdk_template::schedule`), shared by the constructs that write schedules.

pub use ironcdk_template::schedule::{runs_per_month, HOURS_PER_MONTH};
