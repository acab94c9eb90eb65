//! Durations for construct properties (CDK's `Duration`).

/// A length of time, held in whole seconds. Constructors saturate at `u64::MAX` seconds instead
/// of overflowing; the constructs that take a duration refuse values outside what the service
/// accepts, naming the construct.
///
/// ```
/// use ironcdk_synth::Duration;
/// assert_eq!(Duration::minutes(2).to_seconds(), 120);
/// assert_eq!(Duration::days(7).to_whole_days(), Some(7));
/// assert_eq!(Duration::days(u64::MAX).to_seconds(), u64::MAX);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration {
    seconds: u64,
}

impl Duration {
    /// `n` seconds.
    pub const fn seconds(n: u64) -> Self {
        Duration { seconds: n }
    }
    /// `n` minutes.
    pub const fn minutes(n: u64) -> Self {
        Duration { seconds: n.saturating_mul(60) }
    }
    /// `n` hours.
    pub const fn hours(n: u64) -> Self {
        Duration { seconds: n.saturating_mul(3600) }
    }
    /// `n` days.
    pub const fn days(n: u64) -> Self {
        Duration { seconds: n.saturating_mul(86400) }
    }
    /// The duration in seconds.
    pub const fn to_seconds(self) -> u64 {
        self.seconds
    }
    /// The duration in whole days, if it is a whole number of days.
    pub const fn to_whole_days(self) -> Option<u64> {
        if self.seconds.is_multiple_of(86400) {
            Some(self.seconds.saturating_div(86400))
        } else {
            None
        }
    }
}
