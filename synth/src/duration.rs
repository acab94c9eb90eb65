//! Durations for construct properties (CDK's `Duration`).

/// A length of time, held in whole seconds.
///
/// ```
/// use ironcdk_synth::Duration;
/// assert_eq!(Duration::minutes(2).to_seconds(), 120);
/// assert_eq!(Duration::days(7).to_whole_days(), Some(7));
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
        Duration { seconds: n * 60 }
    }
    /// `n` hours.
    pub const fn hours(n: u64) -> Self {
        Duration { seconds: n * 3600 }
    }
    /// `n` days.
    pub const fn days(n: u64) -> Self {
        Duration { seconds: n * 86400 }
    }
    /// The duration in seconds.
    pub const fn to_seconds(self) -> u64 {
        self.seconds
    }
    /// The duration in whole days, if it is a whole number of days.
    pub const fn to_whole_days(self) -> Option<u64> {
        if self.seconds.is_multiple_of(86400) {
            Some(self.seconds / 86400)
        } else {
            None
        }
    }
}
