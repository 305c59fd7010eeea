"""Building blocks shared by every page: formatting, KPI tiles, tables, charts, empty states."""
