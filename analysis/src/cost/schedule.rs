//! Runs a month from an EventBridge schedule expression: `rate(5 minutes)` or
//! `cron(minutes hours day-of-month month day-of-week year)`.

/// Hours in the month the report prices (AWS's 730).
pub const HOURS_PER_MONTH: f64 = 730.0;
const DAYS_PER_MONTH: f64 = HOURS_PER_MONTH / 24.0;

/// Runs a month, or why the expression cannot be read.
pub fn runs_per_month(expr: &str) -> Result<f64, String> {
    let expr = expr.trim();
    if let Some(inner) = expr.strip_prefix("rate(").and_then(|r| r.strip_suffix(')')) {
        let (n, unit) = inner.trim().split_once(' ').ok_or_else(|| format!("'{expr}': rate needs a number and a unit, as rate(5 minutes)"))?;
        let n: f64 = n.parse::<u32>().ok().filter(|n| *n > 0).map(f64::from).ok_or_else(|| format!("'{expr}': the rate must be a whole number above 0"))?;
        let per_hour = match (unit.trim(), n == 1.0) {
            ("minute", true) | ("minutes", false) => 60.0 / n,
            ("hour", true) | ("hours", false) => 1.0 / n,
            ("day", true) | ("days", false) => 1.0 / (24.0 * n),
            _ => return Err(format!("'{expr}': the unit must be minute(s), hour(s) or day(s), singular for 1 and plural otherwise")),
        };
        return Ok(per_hour * HOURS_PER_MONTH);
    }
    if let Some(inner) = expr.strip_prefix("cron(").and_then(|r| r.strip_suffix(')')) {
        let fields: Vec<&str> = inner.split_whitespace().collect();
        let [minutes, hours, dom, month, dow, _year] = fields.as_slice() else {
            return Err(format!("'{expr}': cron needs six fields: minutes hours day-of-month month day-of-week year"));
        };
        let count = |f: &str, lo: u32, hi: u32| values(f, lo, hi).map_err(|e| format!("'{expr}': {e}"));
        let per_day = count(minutes, 0, 59)?.saturating_mul(count(hours, 0, 23)?);
        let months = count(month, 1, 12)?;
        let days = match (*dom, *dow) {
            ("?" | "*", "?" | "*") => DAYS_PER_MONTH,
            ("?", d) => f64::from(count(d, 1, 7)?) * DAYS_PER_MONTH / 7.0,
            (d, "?") => f64::from(count(d, 1, 31)?),
            _ => return Err(format!("'{expr}': one of day-of-month and day-of-week must be '?'")),
        };
        return Ok(f64::from(per_day) * days * f64::from(months) / 12.0);
    }
    Err(format!("'{expr}' is neither rate(...) nor cron(...)"))
}

/// How many values a cron field takes in `lo..=hi`: `*`, `?`, a number, `a-b`, `a/step`, `*/step`,
/// lists of those, and names (`MON-FRI`, `JAN`) counted as their numbers.
fn values(field: &str, lo: u32, hi: u32) -> Result<u32, String> {
    let name = |s: &str| -> Option<u32> {
        const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
        const MONTHS: [&str; 12] = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
        let up = s.to_ascii_uppercase();
        s.parse().ok()
            .or_else(|| DAYS.iter().position(|d| *d == up).and_then(|i| u32::try_from(i).ok()).map(|i| i.saturating_add(1)))
            .or_else(|| MONTHS.iter().position(|m| *m == up).and_then(|i| u32::try_from(i).ok()).map(|i| i.saturating_add(1)))
    };
    let mut seen = std::collections::BTreeSet::new();
    for part in field.split(',') {
        let part = part.trim_end_matches('L').trim_end_matches('W');
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (r, s.parse::<u32>().ok().filter(|s| *s > 0).ok_or_else(|| format!("bad step in '{field}'"))?),
            None => (part, 1),
        };
        let (a, b) = match range {
            "*" | "?" => (lo, hi),
            r => match r.split_once('-') {
                Some((a, b)) => (name(a).ok_or_else(|| format!("bad value in '{field}'"))?, name(b).ok_or_else(|| format!("bad value in '{field}'"))?),
                None => {
                    let v = name(r).ok_or_else(|| format!("bad value in '{field}'"))?;
                    (v, if part.contains('/') { hi } else { v })
                }
            },
        };
        if a < lo || b > hi || a > b {
            return Err(format!("'{field}' is outside {lo}-{hi}"));
        }
        seen.extend((a..=b).step_by(usize::try_from(step).unwrap_or(1)));
    }
    u32::try_from(seen.len()).map_err(|_| "too many values".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_crons() {
        assert_eq!(runs_per_month("rate(5 minutes)"), Ok(8760.0));
        assert_eq!(runs_per_month("rate(1 hour)"), Ok(730.0));
        assert!((runs_per_month("rate(1 day)").unwrap() - 30.4166).abs() < 0.001);
        assert_eq!(runs_per_month("cron(0/5 * * * ? *)"), Ok(8760.0));
        assert!((runs_per_month("cron(0 9 ? * MON-FRI *)").unwrap() - 5.0 * 730.0 / 24.0 / 7.0).abs() < 1e-9);
        assert_eq!(runs_per_month("cron(0 0 1 * ? *)"), Ok(1.0));
        assert!(runs_per_month("rate(5 minute)").is_err());
        assert!(runs_per_month("rate(0 minutes)").is_err());
        assert!(runs_per_month("cron(0 0 1 * * *)").is_err());
        assert!(runs_per_month("cron(99 * * * ? *)").is_err());
        assert!(runs_per_month("every 5 minutes").is_err());
    }
}
