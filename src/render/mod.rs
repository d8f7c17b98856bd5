//! Renderers: each turns views ([`crate::view`]) into one output format, writing
//! to an `impl Write`. A command builds its view and hands it to the renderer the
//! settings chose; no layout is written twice. [`dot`] and [`mermaid`] draw the
//! graph view only.

pub mod dot;
pub mod field;
pub mod html;
pub mod json;
pub mod markdown;
pub mod mermaid;
pub mod termimad;
pub mod text;
