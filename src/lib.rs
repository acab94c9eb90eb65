//! ironcdk: typed AWS infrastructure as Rust code. Constructs compose in ordinary Rust and
//! synthesize AWS CloudFormation templates, with no Node.js, no bootstrap stack and no hidden
//! Lambda functions.
//!
//! This crate re-exports the synth engine ([`App`], [`Stack`], values and intrinsics) and the
//! constructs, one module per AWS service ([`ec2`], [`ecs`], [`elasticloadbalancingv2`], ...).
//!
//! ```
//! use ironcdk::{App, Stack, ec2};
//! let app = App::new();
//! let stack = Stack::new(&app, "Network").unwrap();
//! ec2::CfnVpc::new(&stack, "Vpc", ec2::CfnVpcProps::new().cidr_block("10.0.0.0/16")).unwrap();
//! let assembly = app.synth_in_memory().unwrap();
//! assert_eq!(assembly.stacks[0].template()["Resources"]["Vpc"]["Type"], "AWS::EC2::VPC");
//! ```

pub use ironcdk_constructs::*;
pub use ironcdk_synth::*;
