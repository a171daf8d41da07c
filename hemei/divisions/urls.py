app_name = "divisions"
urlpatterns: list = []
