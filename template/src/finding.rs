//! Findings: what checks say about an app, one type for every rule, and the named reports
//! analyses add to the assembly.

/// How serious a finding is. Error findings fail synth unless acknowledged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing; never fails anything.
    Info,
    /// Likely a mistake or a surprise; printed, never fails synth.
    Warning,
    /// Would fail at deploy or at run time; synth writes nothing.
    Error,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing a rule found: where, what, and how to fix it. Serialized (as `ironcdk check
/// --format json` lists it) with every field, `null` where unknown.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Finding {
    /// The rule's stable id, for example `image-pull-path`.
    pub rule: String,
    /// How serious it is.
    pub severity: Severity,
    /// The stack it is in, if it is in one.
    pub stack: Option<String>,
    /// The construct path, if known.
    pub path: Option<String>,
    /// The logical ID, where there is one.
    pub logical_id: Option<String>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub fix: String,
    /// The reason given when the finding was acknowledged (see `Scope::acknowledge`).
    pub acknowledged: Option<String>,
}

impl Finding {
    /// A finding of `rule` with a message and a fix; place it with the setters.
    pub fn new(rule: impl Into<String>, severity: Severity, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Finding {
            rule: rule.into(),
            severity,
            stack: None,
            path: None,
            logical_id: None,
            message: message.into(),
            fix: fix.into(),
            acknowledged: None,
        }
    }

    /// Sets the stack.
    pub fn stack(mut self, stack: impl AsRef<str>) -> Self {
        self.stack = Some(stack.as_ref().to_owned());
        self
    }

    /// Sets the construct path.
    pub fn path(mut self, path: impl AsRef<str>) -> Self {
        self.path = Some(path.as_ref().to_owned());
        self
    }

    /// Sets the logical ID.
    pub fn logical_id(mut self, id: impl AsRef<str>) -> Self {
        self.logical_id = Some(id.as_ref().to_owned());
        self
    }

    /// True when it is an error that was not acknowledged: synth fails on it.
    pub fn blocks(&self) -> bool {
        self.severity == Severity::Error && self.acknowledged.is_none()
    }

    /// Where it is, as printed: the path, else `stack/logical id`, else the stack, else `App`.
    pub fn location(&self) -> String {
        match (&self.path, &self.stack, &self.logical_id) {
            (Some(p), _, _) => p.clone(),
            (None, Some(s), Some(id)) => format!("{s}/{id}"),
            (None, Some(s), None) => s.clone(),
            (None, None, Some(id)) => id.clone(),
            (None, None, None) => "App".into(),
        }
    }
}

impl serde::Serialize for Severity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl serde::Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut m = s.serialize_struct("Finding", 8)?;
        m.serialize_field("rule", &self.rule)?;
        m.serialize_field("severity", &self.severity)?;
        m.serialize_field("stack", &self.stack)?;
        m.serialize_field("logical_id", &self.logical_id)?;
        m.serialize_field("path", &self.path)?;
        m.serialize_field("message", &self.message)?;
        m.serialize_field("fix", &self.fix)?;
        m.serialize_field("acknowledged", &self.acknowledged)?;
        m.end()
    }
}

impl std::fmt::Display for Finding {
    /// One line: severity, rule, path, message, fix.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} [{}] {}: {}", self.severity, self.rule, self.location(), self.message)?;
        if !self.fix.is_empty() {
            write!(f, " Fix: {}", self.fix)?;
        }
        if let Some(reason) = &self.acknowledged {
            write!(f, " (acknowledged: {reason})")?;
        }
        Ok(())
    }
}

/// A named file an analysis adds to the assembly, for example `Api.cost.json`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Report {
    /// The file name inside the assembly directory.
    pub file: String,
    /// The stack it is about, if one.
    pub stack: Option<String>,
    /// The file's bytes.
    pub content: String,
}

impl Report {
    /// A report file. The name may hold letters, digits, `.`, `-` and `_` only.
    pub fn new(file: impl Into<String>, stack: Option<String>, content: impl Into<String>) -> Self {
        Report { file: file.into(), stack, content: content.into() }
    }
}
