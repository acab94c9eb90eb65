//! The ironcdk synth engine: construct tree, CDK-compatible logical IDs, a typed value model
//! for literals and intrinsics, template elements, and the cloud assembly writer.
//!
//! Most programs use the `ironcdk` crate, which re-exports this one next to the constructs.
//!
//! ```
//! use ironcdk_synth::{App, Stack, Resource, value::Value};
//! let app = App::new();
//! let stack = Stack::new(&app, "Demo").unwrap();
//! Resource::new_dynamic(&stack, "Topic", "AWS::SNS::Topic", None, Box::new(|| Value::Null)).unwrap();
//! let assembly = app.synth_in_memory().unwrap();
//! assert_eq!(assembly.stacks[0].template()["Resources"]["Topic"]["Type"], "AWS::SNS::Topic");
//! ```
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::arithmetic_side_effects))]

pub mod app;
pub mod asset;
mod duration;
pub mod element;
pub mod error;
pub mod exports;
pub mod limits;
pub mod logical_id;
mod outdir;
pub mod prepare;
mod render;
pub mod stack;
pub mod tree;

// The layers below, under the paths programs have used.
pub use ironcdk_analysis as analysis;
pub use ironcdk_analysis::{acknowledge, checks, cost, network};
pub use ironcdk_template::{collate, load, value};
/// Findings, reports and analyses (from `ironcdk-template` and `ironcdk-analysis`).
pub mod finding {
    pub use ironcdk_analysis::{Analysis, AnalysisOutput};
    pub use ironcdk_template::finding::*;
}

pub use app::{exit_code, to_json, App, Assembly, StackArtifact};
pub use asset::{AssetLocation, FileAsset, Packaging};
pub use duration::Duration;
pub use element::{
    CfnProps, Condition, Mapping, Output, Parameter, ParameterProps, ParameterType, PropertiesHash, RemovalPolicy,
    RenderProps, Resource, TagFormat,
};
pub use error::{Error, Result};
pub use finding::{Analysis, AnalysisOutput, Finding, Report, Severity};
pub use indexmap::IndexMap;
pub use stack::{Environment, Stack, StackProps};
pub use prepare::{PreparedApp, PreparedStack, PreparedElement, ElementKind};
pub use tree::{AsScope, Scope};
pub use value::{fns, Json, Map, Pseudo, Tag, ToValue, Val, Value};
