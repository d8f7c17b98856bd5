//! Renderers: each turns views ([`crate::view`]) into one output format.

pub mod html;
