//! Reports: the report models, the chart model every report draws, and its renderers (SVG for the web pages; the
//! PDF renderer, [`pdf`], draws the same model).

pub mod chart;
pub mod cluster;
pub mod enterprise;
pub mod issue;
pub mod pdf;
pub mod svg;
