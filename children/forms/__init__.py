from django import forms

from children.models import LearningGoal


class LearningGoalForm(forms.ModelForm):
    class Meta:
        model = LearningGoal
        fields = ["title", "theme", "description", "home_activity", "status"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "home_activity": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, institution=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Daycare works with the six curriculum themes; schools add the subjects.
        if institution is not None and institution.is_daycare:
            daycare = {
                LearningGoal.Theme.PERSONAL,
                LearningGoal.Theme.SOCIAL,
                LearningGoal.Theme.LANGUAGE,
                LearningGoal.Theme.BODY,
                LearningGoal.Theme.NATURE,
                LearningGoal.Theme.CULTURE,
            }
            self.fields["theme"].choices = [
                c for c in self.fields["theme"].choices if not c[0] or c[0] in daycare
            ]
