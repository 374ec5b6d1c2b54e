"""The portal of the Kuzbass methodists' club: project settings and shared pieces."""
