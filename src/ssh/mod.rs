//! KIS over SSH: the built-in SSH server (`kis serve`), the OpenSSH forced
//! command (`kis ssh-gate`), the decoding of raw terminal input, SSH keys
//! and login mappings per user, and remote support (session list, shadowing).

pub mod access;
pub mod doctor;
pub mod gate;
pub mod input;
pub mod server;
pub mod session;
pub mod shadow;
pub mod support;
