//! Test-only helpers shared by integration tests.
pub mod gguf_writer;
pub mod model_server;
