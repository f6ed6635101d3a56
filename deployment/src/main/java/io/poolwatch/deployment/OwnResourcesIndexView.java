package io.poolwatch.deployment;

import java.util.Collection;
import java.util.Set;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.ModuleInfo;

/**
 * The application's index as SmallRye's JAX-RS scanner should see it when it reads poolwatch's resources alone: every
 * class is there (the types the resources return live all over the runtime), but no class-level {@code @Path}, so the
 * application's own resources are not scanned a second time. poolwatch's resources have none either; the scanner is
 * told about them by configuration ({@link ApiDocument}).
 */
final class OwnResourcesIndexView implements IndexView {

    private static final Set<DotName> PATHS = Set.of(DotName.createSimple("jakarta.ws.rs.Path"),
            DotName.createSimple("javax.ws.rs.Path"));

    private final IndexView delegate;

    OwnResourcesIndexView(IndexView delegate) {
        this.delegate = delegate;
    }

    private static Collection<AnnotationInstance> withoutClassPaths(DotName name, Collection<AnnotationInstance> found) {
        if (!PATHS.contains(name)) {
            return found;
        }
        return found.stream().filter(a -> a.target() == null || a.target().kind() != AnnotationTarget.Kind.CLASS).toList();
    }

    @Override
    public Collection<AnnotationInstance> getAnnotations(DotName annotationName) {
        return withoutClassPaths(annotationName, delegate.getAnnotations(annotationName));
    }

    @Override
    public Collection<AnnotationInstance> getAnnotationsWithRepeatable(DotName annotationName, IndexView index) {
        return withoutClassPaths(annotationName, delegate.getAnnotationsWithRepeatable(annotationName, index));
    }

    @Override
    public Collection<ClassInfo> getKnownClasses() {
        return delegate.getKnownClasses();
    }

    @Override
    public ClassInfo getClassByName(DotName className) {
        return delegate.getClassByName(className);
    }

    @Override
    public Collection<ClassInfo> getKnownDirectSubclasses(DotName className) {
        return delegate.getKnownDirectSubclasses(className);
    }

    @Override
    public Collection<ClassInfo> getAllKnownSubclasses(DotName className) {
        return delegate.getAllKnownSubclasses(className);
    }

    @Override
    public Collection<ClassInfo> getKnownDirectSubinterfaces(DotName interfaceName) {
        return delegate.getKnownDirectSubinterfaces(interfaceName);
    }

    @Override
    public Collection<ClassInfo> getAllKnownSubinterfaces(DotName interfaceName) {
        return delegate.getAllKnownSubinterfaces(interfaceName);
    }

    @Override
    public Collection<ClassInfo> getKnownDirectImplementations(DotName interfaceName) {
        return delegate.getKnownDirectImplementations(interfaceName);
    }

    @Override
    public Collection<ClassInfo> getAllKnownImplementations(DotName interfaceName) {
        return delegate.getAllKnownImplementations(interfaceName);
    }

    @Override
    public Collection<ClassInfo> getKnownDirectImplementors(DotName interfaceName) {
        return delegate.getKnownDirectImplementors(interfaceName);
    }

    @Override
    public Collection<ClassInfo> getAllKnownImplementors(DotName interfaceName) {
        return delegate.getAllKnownImplementors(interfaceName);
    }

    @Override
    public Collection<ModuleInfo> getKnownModules() {
        return delegate.getKnownModules();
    }

    @Override
    public ModuleInfo getModuleByName(DotName moduleName) {
        return delegate.getModuleByName(moduleName);
    }

    @Override
    public Collection<ClassInfo> getKnownUsers(DotName className) {
        return delegate.getKnownUsers(className);
    }

    @Override
    public Collection<ClassInfo> getClassesInPackage(DotName packageName) {
        return delegate.getClassesInPackage(packageName);
    }

    @Override
    public Set<DotName> getSubpackages(DotName packageName) {
        return delegate.getSubpackages(packageName);
    }
}
