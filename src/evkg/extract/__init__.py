"""Literature mining: documents -> sentences -> entities -> relations -> claims."""
