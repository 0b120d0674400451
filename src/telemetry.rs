//! Logging: readable text or JSON lines, filtered by `KEYWARD_LOG` (an env-filter directive).
//! Every request runs in a span carrying its request id, so every line it logs has the id.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::writer::BoxMakeWriter;

use crate::config::LogFormat;

/// Installs the global subscriber once; later calls (tests) do nothing.
pub fn init(format: LogFormat, filter: &str) {
    init_with_writer(format, filter, BoxMakeWriter::new(std::io::stderr));
}

pub fn init_with_writer(format: LogFormat, filter: &str, writer: BoxMakeWriter) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    let _ = match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init(),
        LogFormat::Text => builder
            .with_target(false)
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .try_init(),
    };
}
