//! The kernel services above the store: users, login and sessions, the
//! audit log, record locks, code lists, the street directory, SSH keys and
//! login mappings, remote support and the health check (`kis doctor`). Their
//! SQL lives in `kernel/repo/`.

pub mod access;
pub mod audit;
pub mod auth;
pub mod codes;
pub mod doctor;
pub mod locks;
pub mod repo;
pub mod session;
pub mod streets;
pub mod support;
