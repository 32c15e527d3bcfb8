// Placeholder entry while the components are written (issue 6).
document.body.dataset.ready = 'true';
