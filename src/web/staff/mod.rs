//! Pages for support and security staff: the support console, the audit log, the security
//! policy and the compliance view. Laid out wide; every page checks the role itself
//! (`Staff<…>`), and a refusal is audited.

pub mod audit;
pub mod compliance;
pub mod policy;
pub mod support;
