//! The kernel's repositories: the only place where the kernel services
//! (`kernel::*`) write SQL. Functions take `sql: &mut dyn Sql` first and hold
//! no roles, audit entries or rules; the services call them inside their
//! own transactions.

pub mod access;
pub mod audit;
pub mod auth;
pub mod codes;
pub mod locks;
pub mod streets;
