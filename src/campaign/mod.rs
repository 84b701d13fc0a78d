//! Campaign services: loading a campaign's roll-up input from storage and computing its
//! dashboard; opening, rescheduling and closing it; shared by the API, the pages, the reports and the exports.

pub mod chase;
mod dashboard;
pub mod download;
pub mod lifecycle;
mod load;

pub use dashboard::{dashboard, CampaignInfo, Dashboard, Filter};
pub use load::{load, Loaded, Previous};
