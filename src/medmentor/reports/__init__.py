"""Program reports: funnel, engagement, outcomes and equity, in aggregate only."""
