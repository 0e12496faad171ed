"""Input–output model: national tables, regional coefficients by location quotients, ripple effects."""
