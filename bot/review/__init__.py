"""A living directory: corrections from users, review by the integrator, and the overlay they make."""
