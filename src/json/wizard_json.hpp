#pragma once
// WizardProgress (contract 2.0): {current_step, completed_steps, is_complete, draft_data,
// completed_data}. Every key always present; draft_data is null when there is no draft.

// The wizard's value types are declared with its repository for now (see the TODO there).
#include "db/wizard_repository.hpp"

#include <boost/json/object.hpp>

namespace fruitpak::json {

boost::json::object to_json(const domain::WizardProgress& progress);

}  // namespace fruitpak::json
