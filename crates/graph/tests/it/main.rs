//! Integration tests of the Graph client.
