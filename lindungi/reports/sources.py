"""Measures over the data of the incidents and legal apps, registered only when their models exist.

(Filled in once those apps' models are committed; until then the statistics cover cases, child
victims and referrals, and the dashboards say which figures are not available yet.)
"""
