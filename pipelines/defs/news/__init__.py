"""News: the registry's news pages daily, and a sensor that turns new feed articles into partitions."""
from pipelines.defs.news.schedules import news_daily_schedule
from pipelines.defs.news.sensors import news_feed_sensor

SCHEDULES = [news_daily_schedule]
SENSORS = [news_feed_sensor]
