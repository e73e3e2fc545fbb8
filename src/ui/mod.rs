//! The mask engine and app shell: terminal-independent (key events in,
//! frames out). Screens of the procedures live in `screens/` and in the
//! procedure modules' `ui` parts.

pub mod app;
pub mod chrome;
pub mod command;
pub mod ewos;
pub mod field;
pub mod finas;
pub mod form;
pub mod form_values;
pub mod job;
pub mod keymap;
pub mod keyref;
pub mod keys;
pub mod list;
pub mod login;
pub mod menu;
pub mod persos;
pub mod popup;
pub mod record;
pub mod registry;
pub mod screen;
pub mod screens;
pub mod search;
pub mod theme;
