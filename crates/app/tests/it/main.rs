//! Integration tests of the application layer, headless.

mod bindings;
mod rpc;
