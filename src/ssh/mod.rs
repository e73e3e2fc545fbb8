//! KIS over SSH: the built-in SSH server (`kis serve`) and the OpenSSH
//! forced command (`kis ssh-gate`). Both run the terminal driver of `term`;
//! SSH keys, login mappings and remote support are kernel services.

pub mod gate;
pub mod server;
