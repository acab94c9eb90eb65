//! A CloudFormation document and nothing else: the value model (literals and intrinsics, with
//! references by element), stacks as templates with their environment and dependencies, the
//! reader for JSON and YAML templates and cloud assemblies, the JSON writer's layout,
//! findings, acknowledgements as `Metadata` stores them, and CloudFormation's quotas.
//!
//! The crates above build on this one: `ironcdk-analysis` reads templates only, and the
//! construct engine produces them. Nothing here knows the construct tree.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::arithmetic_side_effects))]

pub mod acknowledgement;
pub mod collate;
pub mod env;
pub mod hash;
pub mod finding;
pub mod ids;
pub mod json;
pub mod load;
pub mod pretty;
pub mod quotas;
pub mod schedule;
pub mod sub;
pub mod templates;
pub mod value;
pub mod write;


pub use env::Environment;
pub use finding::{Finding, Report, Severity};
pub use templates::{ElementKind, PreparedApp, PreparedElement, PreparedStack};
pub use value::{Map, Pseudo, Value};
