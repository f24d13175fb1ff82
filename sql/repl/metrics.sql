-- `.metrics`: the metric library's catalogue, in report order.
SELECT report, metric, label, unit, definition
FROM metrics.catalogue
ORDER BY ordinal, report  -- report breaks ties: a metric shared by reports has one ordinal
