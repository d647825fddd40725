"""People's needs and unmet needs as call-takers log them (or a center's I&R export brings them): no personal
data, only where (county), what (category), and whether it was met and, if not, why."""
