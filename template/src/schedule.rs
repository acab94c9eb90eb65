//! EventBridge schedule expressions, `rate(5 minutes)` or `cron(minutes hours day-of-month month
//! day-of-week year)`, read as EventBridge reads them (its "Schedule expressions" grammar):
//! what it refuses is an error saying why, and a valid one gives its runs a month.

/// Hours in the month the cost report prices (AWS's 730).
pub const HOURS_PER_MONTH: f64 = 730.0;
const DAYS_PER_MONTH: f64 = HOURS_PER_MONTH / 24.0;

/// Runs a month of a schedule expression, or why EventBridge would refuse it.
pub fn runs_per_month(expr: &str) -> Result<f64, String> {
    let expr = expr.trim();
    if let Some(inner) = expr.strip_prefix("rate(").and_then(|r| r.strip_suffix(')')) {
        return rate(inner.trim()).map_err(|e| format!("'{expr}': {e}"));
    }
    if let Some(inner) = expr.strip_prefix("cron(").and_then(|r| r.strip_suffix(')')) {
        return cron(inner).map_err(|e| format!("'{expr}': {e}"));
    }
    Err(format!("'{expr}' is neither rate(...) nor cron(...)"))
}

fn rate(inner: &str) -> Result<f64, String> {
    let (n, unit) = inner.split_once(' ').ok_or("rate needs a number and a unit, as rate(5 minutes)")?;
    let whole = !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit());
    let n: f64 = n.parse::<u32>().ok().filter(|n| whole && *n > 0).map(f64::from).ok_or("the rate must be a whole number above 0, digits only")?;
    let per_hour = match (unit.trim(), n == 1.0) {
        ("minute", true) | ("minutes", false) => 60.0 / n,
        ("hour", true) | ("hours", false) => 1.0 / n,
        ("day", true) | ("days", false) => 1.0 / (24.0 * n),
        _ => return Err("the unit must be minute(s), hour(s) or day(s), singular for 1 and plural otherwise".into()),
    };
    Ok(per_hour * HOURS_PER_MONTH)
}

/// One of the six fields.
#[derive(Clone, Copy, PartialEq)]
enum Field {
    Minutes,
    Hours,
    DayOfMonth,
    Month,
    DayOfWeek,
    Year,
}

impl Field {
    fn name(self) -> &'static str {
        match self {
            Field::Minutes => "minutes",
            Field::Hours => "hours",
            Field::DayOfMonth => "day-of-month",
            Field::Month => "month",
            Field::DayOfWeek => "day-of-week",
            Field::Year => "year",
        }
    }
    fn range(self) -> (u32, u32) {
        match self {
            Field::Minutes => (0, 59),
            Field::Hours => (0, 23),
            Field::DayOfMonth => (1, 31),
            Field::Month => (1, 12),
            Field::DayOfWeek => (1, 7),
            Field::Year => (1970, 2199),
        }
    }
    /// A value: a number, or a month or day name where the field takes them.
    fn value(self, s: &str) -> Option<u32> {
        const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
        const MONTHS: [&str; 12] = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
        let named = |names: &[&str]| names.iter().position(|n| n.eq_ignore_ascii_case(s)).and_then(|i| u32::try_from(i).ok()).map(|i| i.saturating_add(1));
        let v = if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().ok()
        } else {
            match self {
                Field::Month => named(&MONTHS),
                Field::DayOfWeek => named(&DAYS),
                _ => None,
            }
        }?;
        let (lo, hi) = self.range();
        (lo..=hi).contains(&v).then_some(v)
    }
}

/// What one field matches.
enum Matches {
    /// These values (of the field's range).
    Values(u32),
    /// Any value (`*`).
    Any,
    /// No constraint: the other day field decides (`?`).
    Unspecified,
    /// One day a month (`L`, `LW`, `15W` in day-of-month; `5L`, `3#2` in day-of-week).
    OncePerMonth,
}

fn field(f: Field, text: &str) -> Result<Matches, String> {
    let bad = |why: &str| format!("{} field '{text}' {why}", f.name());
    let day = matches!(f, Field::DayOfMonth | Field::DayOfWeek);
    match text {
        "?" if day => return Ok(Matches::Unspecified),
        "?" => return Err(bad("cannot be '?' (only day-of-month or day-of-week can)")),
        "*" => return Ok(Matches::Any),
        _ => {}
    }
    // The one-day forms stand alone in their field.
    if f == Field::DayOfMonth {
        if text == "L" || text == "LW" {
            return Ok(Matches::OncePerMonth);
        }
        if let Some(d) = text.strip_suffix('W') {
            return f.value(d).map(|_| Matches::OncePerMonth).ok_or_else(|| bad("needs a day 1-31 before W"));
        }
    }
    if f == Field::DayOfWeek {
        if text == "L" {
            return Ok(Matches::Values(1));
        }
        if let Some(d) = text.strip_suffix('L') {
            return f.value(d).map(|_| Matches::OncePerMonth).ok_or_else(|| bad("needs a day 1-7 or SUN-SAT before L"));
        }
        if let Some((d, n)) = text.split_once('#') {
            let nth = n.parse::<u32>().ok().filter(|k| (1..=5).contains(k) && n.len() == 1);
            return match (f.value(d), nth) {
                (Some(_), Some(_)) => Ok(Matches::OncePerMonth),
                _ => Err(bad("must be DAY#N with a day 1-7 or SUN-SAT and N from 1 to 5")),
            };
        }
    }
    let (lo, hi) = f.range();
    let mut seen = std::collections::BTreeSet::new();
    for part in text.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => {
                let step = s.parse::<u32>().ok().filter(|n| *n > 0 && s.bytes().all(|b| b.is_ascii_digit())).ok_or_else(|| bad("has a step that is not a whole number above 0"))?;
                (r, Some(step))
            }
            None => (part, None),
        };
        let (a, b) = match range {
            "*" => (lo, hi),
            r => match r.split_once('-') {
                Some((a, b)) => (f.value(a).ok_or_else(|| bad("has a range outside its values"))?, f.value(b).ok_or_else(|| bad("has a range outside its values"))?),
                None => {
                    let v = f.value(r).ok_or_else(|| bad(&format!("has '{r}', which is not one of its values ({lo}-{hi})")))?;
                    (v, if step.is_some() { hi } else { v })
                }
            },
        };
        if a > b {
            return Err(bad("has a range that runs backwards"));
        }
        seen.extend((a..=b).step_by(usize::try_from(step.unwrap_or(1)).unwrap_or(1)));
    }
    u32::try_from(seen.len()).map(Matches::Values).map_err(|_| bad("has too many values"))
}

fn cron(inner: &str) -> Result<f64, String> {
    let fields: Vec<&str> = inner.split_whitespace().collect();
    let [minutes, hours, dom, month, dow, year] = fields.as_slice() else {
        return Err("cron needs six fields: minutes hours day-of-month month day-of-week year".into());
    };
    let count = |f: Field, text: &str| -> Result<f64, String> {
        Ok(match field(f, text)? {
            Matches::Values(n) => f64::from(n),
            Matches::Any => {
                let (lo, hi) = f.range();
                f64::from(hi.saturating_sub(lo).saturating_add(1))
            }
            Matches::Unspecified | Matches::OncePerMonth => 1.0,
        })
    };
    let per_day = count(Field::Minutes, minutes)? * count(Field::Hours, hours)?;
    let months = count(Field::Month, month)?;
    field(Field::Year, year)?;
    let days = match (field(Field::DayOfMonth, dom)?, field(Field::DayOfWeek, dow)?) {
        (Matches::Unspecified, Matches::Unspecified) => return Err("day-of-month and day-of-week are both '?'; give one of them".into()),
        (Matches::Unspecified, Matches::Any) | (Matches::Any, Matches::Unspecified) => DAYS_PER_MONTH,
        (Matches::Unspecified, Matches::Values(n)) => f64::from(n) * DAYS_PER_MONTH / 7.0,
        (Matches::Values(n), Matches::Unspecified) => f64::from(n),
        (Matches::Unspecified, Matches::OncePerMonth) | (Matches::OncePerMonth, Matches::Unspecified) => 1.0,
        _ => return Err("one of day-of-month and day-of-week must be '?' (EventBridge takes only one of them)".into()),
    };
    Ok(per_day * days * months / 12.0)
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

    #[test]
    fn what_eventbridge_documents_is_accepted() {
        for ok in [
            "cron(0 10 * * ? *)",
            "cron(15 12 * * ? *)",
            "cron(0 18 ? * MON-FRI *)",
            "cron(0 8 1 * ? *)",
            "cron(0/15 * * * ? *)",
            "cron(0/10 * ? * MON-FRI *)",
            "cron(0/5 8-17 ? * MON-FRI *)",
            "cron(0 9 ? * 2#1 *)",
            "cron(0 12 ? * 6#3 *)",
            "cron(0 0 L * ? *)",
            "cron(0 0 LW * ? *)",
            "cron(0 0 15W * ? *)",
            "cron(0 0 ? * 5L *)",
            "cron(0 0 ? * L *)",
            "cron(30 2 1,15 JAN,JUL ? 2026-2030)",
            "cron(0 0 1 1 ? 1970)",
            "cron(0 0 1 1 ? 2199)",
            "rate(1 minute)",
            "rate(10 days)",
        ] {
            assert!(runs_per_month(ok).is_ok(), "{ok}: {:?}", runs_per_month(ok));
        }
        assert_eq!(runs_per_month("cron(0 12 ? * 6#3 *)"), Ok(1.0), "once a month");
    }

    #[test]
    fn what_eventbridge_refuses_is_refused_saying_why() {
        for (bad, why) in [
            ("cron(0 0 * * * *)", "must be '?'"),
            ("cron(0 0 ? * ? *)", "both '?'"),
            ("cron(0 0 1 * ? banana)", "year field 'banana'"),
            ("cron(0 0 1 * ? 1969)", "year field"),
            ("cron(L * 1 * ? *)", "minutes field 'L'"),
            ("cron(0 ? 1 * ? *)", "cannot be '?'"),
            ("cron(0 0 ? * 6#6 *)", "N from 1 to 5"),
            ("cron(0 0 ? * 8L *)", "before L"),
            ("cron(0 0 32W * ? *)", "before W"),
            ("cron(0 0 5-1 * ? *)", "backwards"),
            ("cron(0/0 * * * ? *)", "step"),
            ("cron(0 0 1 13 ? *)", "month field"),
            ("cron(0 0 1 * ?)", "six fields"),
            ("rate(+5 minutes)", "digits only"),
            ("rate(5.5 minutes)", "digits only"),
        ] {
            let e = runs_per_month(bad).expect_err(bad);
            assert!(e.contains(why), "{bad}: {e}");
        }
    }
}
