//! Reports: the chart model every report draws, and its renderers (SVG for the web pages; the
//! PDF renderer draws the same model).

pub mod chart;
pub mod svg;
