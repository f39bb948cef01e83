// Headers only; this file keeps SwiftPM content with a C target.
