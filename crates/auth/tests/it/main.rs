//! Integration tests of the sign-in crate (filled in below).
