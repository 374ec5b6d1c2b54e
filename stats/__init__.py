"""Statistics of off-site library service: indicators, forms, periods, reports and values."""
